"""The one place that connects to Temporal, so every program uses the same data converter.

With payload keys configured (docs/security.md) the converter encrypts every payload and
failure message with AES-GCM before it reaches the server; without keys it is the plain
pydantic converter. Either way it decodes plain payloads, so old histories keep working.
"""

import dataclasses

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from runtime.settings import Settings, get_settings
from security.codec import EncryptionCodec
from security.keys import Keyring, keyring_from_settings


def encrypted_converter(keyring: Keyring) -> DataConverter:
    # Failure messages and stack traces can quote ticket text: move them into encoded attributes too.
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=EncryptionCodec(keyring),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


def data_converter(settings: Settings | None = None) -> DataConverter:
    keyring = keyring_from_settings(settings or get_settings())
    return pydantic_data_converter if keyring is None else encrypted_converter(keyring)


async def connect(settings: Settings | None = None) -> Client:
    settings = settings or get_settings()
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
    )
