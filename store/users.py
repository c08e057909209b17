"""Console users and sessions: scrypt password hashes, expiring bearer sessions.

Passwords never leave this module in clear; sessions are stored as the SHA-256 of a random
token so a copy of the database cannot be replayed as a sign-in.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy import Engine, Table, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.tables import AuditLogRow, Base, ConsoleSessionRow, UserRow
from store.timestamps import as_utc

# scrypt cost: n=2**14, r=8, p=1 is the interactive-login setting from the scrypt paper (~16 MiB).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
CONSOLE_TABLES: list[Table] = [UserRow.__table__, ConsoleSessionRow.__table__, AuditLogRow.__table__]  # type: ignore[list-item]


class Role(StrEnum):
    AGENT = "agent"
    DEPARTMENT = "department"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class UserView(BaseModel):
    username: str
    display_name: str = ""
    role: Role
    agent_id: str | None = None
    department_id: str | None = None
    active: bool = True

    @property
    def actor_id(self) -> str:
        """The id recorded as `by` in Temporal updates: the agent id when the user is one."""
        return self.agent_id or self.username


class SessionView(BaseModel):
    token: str
    user: UserView
    expires_at: datetime


class UserError(ValueError):
    """Bad user input for `lingodesk users` (unknown role, short password, unknown user)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def ensure_console_tables(engine: Engine) -> None:
    """Create users/sessions/audit_log where missing (until the lead's Alembic revision covers them)."""
    Base.metadata.create_all(engine, tables=CONSOLE_TABLES, checkfirst=True)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = encoded.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        actual = hashlib.scrypt(
            password.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _view(row: UserRow) -> UserView:
    return UserView(
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        agent_id=row.agent_id,
        department_id=row.department_id,
        active=row.active,
    )


def upsert_user(
    sessions: sessionmaker[Session],
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    agent_id: str | None = None,
    department_id: str | None = None,
) -> UserView:
    """Create the user or replace its password, role and links; returns the stored view."""
    username = username.strip()
    if not username:
        raise UserError("username is required")
    if role not in {r.value for r in Role}:
        raise UserError(f"unknown role {role!r}; one of: {', '.join(r.value for r in Role)}")
    if len(password) < 8:
        raise UserError("password must have at least 8 characters")
    if role == Role.DEPARTMENT and not department_id:
        raise UserError("a department member needs --department")
    now = utcnow()
    with sessions.begin() as session:
        row = session.get(UserRow, username)
        if row is None:
            row = UserRow(username=username, created_at=now)
            session.add(row)
        row.display_name = display_name or row.display_name or username
        row.role = role
        row.agent_id = agent_id
        row.department_id = department_id
        row.password_hash = hash_password(password)
        row.active = True
        row.updated_at = now
        return _view(row)


def set_active(sessions: sessionmaker[Session], username: str, active: bool) -> None:
    with sessions.begin() as session:
        row = session.get(UserRow, username)
        if row is None:
            raise UserError(f"no user {username!r}")
        row.active = active
        row.updated_at = utcnow()
        if not active:
            # A disabled person is signed out everywhere at once.
            session.execute(
                update(ConsoleSessionRow)
                .where(ConsoleSessionRow.username == username, ConsoleSessionRow.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )


def list_users(sessions: sessionmaker[Session]) -> list[UserView]:
    with sessions() as session:
        return [_view(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(
    sessions: sessionmaker[Session], username: str, password: str, ttl: timedelta
) -> SessionView | None:
    """Check the password and open a session; None for any failure (no hint which part was wrong)."""
    with sessions() as session:
        row = session.get(UserRow, username.strip())
        encoded = row.password_hash if row is not None and row.active else None
        user = _view(row) if row is not None else None
    # Hash even for unknown users so response time does not reveal which usernames exist.
    ok = verify_password(password, encoded or "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")
    if not ok or user is None or encoded is None:
        return None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with sessions.begin() as session:
        session.add(
            ConsoleSessionRow(
                token_hash=_token_hash(token),
                username=user.username,
                created_at=now,
                expires_at=now + ttl,
                last_seen_at=now,
                revoked_at=None,
            )
        )
    return SessionView(token=token, user=user, expires_at=now + ttl)


def resolve_session(
    sessions: sessionmaker[Session], token: str, idle: timedelta, now: datetime | None = None
) -> UserView | None:
    """The user behind a live token, or None once expired, idle too long, revoked or disabled."""
    now = now or utcnow()
    with sessions.begin() as session:
        row = session.get(ConsoleSessionRow, _token_hash(token))
        if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= now:
            return None
        if as_utc(row.last_seen_at) + idle <= now:
            row.revoked_at = now
            return None
        user = session.get(UserRow, row.username)
        if user is None or not user.active:
            return None
        # Touch at most once a minute: every Streamlit rerun would otherwise write.
        if now - as_utc(row.last_seen_at) > timedelta(minutes=1):
            row.last_seen_at = now
        return _view(user)


def revoke_session(sessions: sessionmaker[Session], token: str) -> None:
    with sessions.begin() as session:
        row = session.get(ConsoleSessionRow, _token_hash(token))
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()
