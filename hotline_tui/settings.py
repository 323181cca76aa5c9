"""One settings object for every front end, loaded once per entry point and passed down.

Sources, strongest first: keyword arguments, ``HOTLINE_*`` environment variables, the site file
(``$HOTLINE_CONFIG``, else ``/etc/hotline/hotline.toml``), the per-user file
(``~/.config/hotline/hotline.toml``), then defaults. The site file is the administrator's: on a
host shared by many SSH operators it names one database, one audit key and one index in a site
location (e.g. ``/var/lib/hotline``); per-user locations are only the personal demo's default.

The settings that decide who may act as whom (the admin group, the console's trust in OS
accounts, the database's and the audit key's locations where the site fixes them) come only from
the site file or the defaults unless the process is root or the service account: an operator's
environment, home or command line that tries another value is refused (:mod:`hotline_tui.trust`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from hotline_tui import trust

APP_NAME = "hotline"
SITE_CONFIG = trust.SITE_CONFIG


def site_config_path() -> Path | None:
    """The administrator's settings file, if any: ``$HOTLINE_CONFIG`` or the /etc default."""
    return trust.site_file()[0]


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "hotline.toml"


class Settings(BaseSettings):
    """Every setting of the product. Paths left empty are derived from ``data_dir``."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    database_url: str | None = None
    audit_key_file: Path | None = None
    audit_checkpoint_file: Path | None = None
    material_dir: Path | None = None
    cache_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_cache_dir(APP_NAME)))
    log_file: Path = Field(
        default_factory=lambda: Path(platformdirs.user_log_dir(APP_NAME)) / "hotline.log"
    )
    log_level: str = "INFO"
    # OS accounts in this group (and root) may act as another hotline user with --as.
    admin_group: str = "hotline-admin"
    timezone: str = "Asia/Shanghai"
    db_pool_size: int = 2
    db_max_overflow: int = 2
    sqlite_busy_timeout_ms: int = 5000
    write_retries: int = 3
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    visit_max_attempts: int = 3
    # Time limits (DESIGN.md §4): the working day's spans, local to Asia/Shanghai; whether the
    # completion clock starts at dispatch or at signing; whether it stops while a return is under
    # review or an extension is pending; the warning (黄灯) when this fraction of a limit is left
    # (a rule in the database may set its own).
    working_hours: str = "09:00-12:00,13:30-17:30"
    sla_clock_start: Literal["dispatch", "sign"] = "dispatch"
    sla_pause_on_return_review: bool = True
    sla_pause_on_extension_pending: bool = False
    sla_warn_fraction: float = Field(default=0.2, ge=0.0, lt=1.0)
    # The channels requests arrive by (受理渠道), code → label as the screens show it; an order's
    # channel must be one of them (issue 14). A site adds or renames its own in its settings
    # file ([intake_channels] table) or HOTLINE_INTAKE_CHANNELS='{"code": "label", …}'.
    intake_channels: dict[str, str] = Field(
        default_factory=lambda: {
            "phone": "电话",
            "web": "网站",
            "wechat": "微信",
            "app": "手机应用",
            "letter": "信件",
            "visit": "来访",
            "email": "电子邮件",
            "open311": "开放接口",  # partner systems over Open311 (``hotline serve``)
        },
        min_length=1,
    )
    # The hotline's own steps (DESIGN.md §4 gives no limit for them): a department's return
    # (退单审核) and its extension request (延期审批) are decided within these, counted from the
    # request; dispatch (派单) follows the rule's ``dispatch`` limit.
    hotline_return_review_limit: str = "1wd"
    hotline_extension_decision_limit: str = "1wd"
    # A department's own windows (domain.part_limits; README, "Time limits"): a return after the
    # return window is refused ("refuse": the published rules' "逾期未提出退单的，视为认可派单") or
    # goes to the hotline's review marked 超时退单 for an explicit approval ("review"); a part
    # may ask for an extension this many times ("延期原则上只能申请一次"); the days granted in all
    # stay within the rule's ``extension_max``.
    return_after_window: Literal["refuse", "review"] = "refuse"
    extension_max_requests: int = Field(default=1, ge=1, le=99)
    # Knowledge search ranks by meaning too (kb_index.semantic): the model costs about 100 MB
    # of memory and a tenth of a second of CPU per article embedded, once, in the background.
    kb_semantic: bool = True
    # Supervision and return visits (issue 14, rules 6-7): an unreachable return visit may be
    # tried again only this many minutes after the last unreachable one; the outcome of a 提级
    # or 会商 is due this many working days after it was called (its due time, shown with it).
    visit_retry_gap_minutes: int = Field(default=120, ge=0, le=7 * 24 * 60)
    coordination_due_days: int = Field(default=5, ge=1, le=60)
    # The measures (DESIGN.md §5, hotline_tui.domain.kpi): the categories (codes, any level,
    # with everything under them) kept out of 满意率 and 解决率 — a city's 执法/调解 matters, so
    # as not to punish the departments that must say no ("不片面追求满意率") — and targets
    # that replace the defaults, by measure id ({"on_time": 0.98}).
    kpi_satisfaction_excluded_categories: list[str] = Field(default_factory=list)
    kpi_targets: dict[str, float] = Field(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        site, site_trusted = trust.site_file()
        files = [site] if site is not None else []
        user = user_config_path()
        if user.exists():
            files.append(user)
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        sources += [TomlConfigSettingsSource(settings_cls, toml_file=f) for f in files]
        if trust.privileged():
            return tuple(sources)
        # Everything but a trusted site file is checked against the site's values (or the
        # defaults) for the settings that decide who may act as whom.
        site_values = sources[2]() if site is not None and site_trusted else {}
        trusted = {
            name: site_values[name]
            if name in site_values
            else field.get_default(call_default_factory=True)
            for name, field in settings_cls.model_fields.items()
            if name in trust.IDENTITY_KEYS | trust.LOCATION_KEYS
        }
        fixes = any(name in site_values for name in trust.LOCATION_KEYS)
        labels = ["command line", "environment (HOTLINE_*)", *(str(f) for f in files)]
        return tuple(
            source
            if index == 2 and site_values
            else _Checked(settings_cls, source, labels[index], trusted, fixes)
            for index, source in enumerate(sources)
        )

    # Derived paths -------------------------------------------------------------------------

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'hotline.db'}"

    @property
    def key_path(self) -> Path:
        return self.audit_key_file or self.data_dir / "audit.key"

    @property
    def checkpoint_path(self) -> Path:
        return self.audit_checkpoint_file or self.data_dir / "audit.checkpoint"

    @property
    def materials_path(self) -> Path:
        return self.material_dir or self.data_dir / "materials"


class _Checked(PydanticBaseSettingsSource):
    """A source whose identity and location settings must agree with the trusted ones."""

    def __init__(
        self,
        settings_cls: type[BaseSettings],
        inner: PydanticBaseSettingsSource,
        label: str,
        trusted: dict[str, Any],
        fixes_location: bool,
    ) -> None:
        super().__init__(settings_cls)
        self.inner, self.label = inner, label
        self.trusted, self.fixes_location = trusted, fixes_location

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.inner.get_field_value(field, field_name)

    def __call__(self) -> dict[str, Any]:
        values = self.inner()
        trust.check_untrusted(
            self.label, values, self.trusted, site_fixes_location=self.fixes_location
        )
        return values


def load_settings(**overrides: Any) -> Settings:
    """Build the settings once for an entry point; overrides win over every source."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
