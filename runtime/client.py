"""The one place that connects to Temporal, so every program uses the same data converter."""

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter

from runtime.settings import Settings, get_settings


def data_converter(settings: Settings | None = None) -> DataConverter:
    return pydantic_data_converter


async def connect(settings: Settings | None = None) -> Client:
    settings = settings or get_settings()
    return await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace,
                                data_converter=data_converter(settings))
