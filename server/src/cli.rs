//! The `roster` command line. Every flag also reads an environment variable; `roster --help` lists both.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine::{Rate, RateSettings, FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE};
use crate::engine::{ADMIN_CALLS_PER_SECOND, APP_CALLS_PER_SECOND};
use crate::public_url::PublicUrl;

#[derive(Debug, Parser)]
#[command(name = "roster", version, about = "Roster: a session authority with an operator console")]
pub struct Cli {
    #[command(flatten)]
    pub storage: StorageOptions,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct StorageOptions {
    /// Folder for the SQLite database and, unless ROSTER_MASTER_KEY is given, the master key file.
    #[arg(long, env = "ROSTER_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// sqlite:… or postgres://… ; defaults to a SQLite file in the data folder.
    #[arg(long, env = "ROSTER_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// The key that seals the payload keys stored in the database (32 bytes, base64); every node sharing a
    /// database needs the same one. Without it, a master key file in the data folder is created and used.
    #[arg(long, env = "ROSTER_MASTER_KEY", global = true, hide_env_values = true)]
    pub master_key: Option<String>,
    /// Read once, by an earlier version's database: its payload key (32 bytes, base64), moved into the database.
    #[arg(long, env = "ROSTER_PAYLOAD_KEY", global = true, hide_env_values = true)]
    pub payload_key: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the console and the API (the default).
    Serve(ServeOptions),
    /// Create the first owner; the password is read from standard input.
    CreateOwner(CreateOwnerOptions),
    /// Manage users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Check the audit log's hash chain; exits non-zero at the first broken record.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Register apps; each gets an API key, printed once.
    #[command(subcommand)]
    Apps(AppsCommand),
    /// Tokens for the admin API, printed once.
    #[command(subcommand)]
    AdminTokens(AdminTokensCommand),
    /// Payload encryption keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Seed realistic synthetic users, apps and sessions (for trying the console; never in production).
    Demo {
        /// How many sessions to create (up to 5,000,000).
        #[arg(long, default_value_t = 10_000)]
        sessions: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum AppsCommand {
    Create(CreateAppOptions),
}

#[derive(Debug, Clone, Args)]
pub struct CreateAppOptions {
    /// The app's id: lowercase letters, digits and underscores (e.g. my_meals).
    #[arg(long)]
    pub id: String,
    #[arg(long)]
    pub name: String,
    /// The largest payload a session of this app may carry.
    #[arg(long, default_value_t = 16 * 1024)]
    pub max_payload_bytes: i64,
}

#[derive(Debug, Subcommand)]
pub enum AdminTokensCommand {
    Create {
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new payload key and make it current; old keys keep decrypting.
    Rotate,
}

#[derive(Debug, Clone, Args)]
pub struct ServeOptions {
    /// Address to listen on.
    #[arg(long, env = "ROSTER_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    /// The built site (wasm, scripts, stylesheet), as cargo-leptos writes it.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// The address people reach Roster at, e.g. https://roster.example.com behind a TLS proxy: with https, the
    /// cookies are `__Host-` and Secure and HSTS is sent; browsers' state-changing requests must come from it.
    #[arg(long, env = "ROSTER_PUBLIC_URL", value_parser = PublicUrl::parse)]
    pub public_url: Option<PublicUrl>,
    /// Secure (`__Host-`) cookies: `auto` follows --public-url, else is on unless Roster listens on loopback.
    #[arg(long, env = "ROSTER_SECURE_COOKIES", value_enum, default_value_t = CookieSecurity::Auto)]
    pub secure_cookies: CookieSecurity,
    /// A MaxMind-format city database (GeoLite2-City.mmdb or compatible) for session locations.
    #[arg(long, env = "ROSTER_GEOIP_DB")]
    pub geoip_db: Option<PathBuf>,
    /// A MaxMind ISP (GeoIP2-ISP) or ASN (GeoLite2-ASN) database: My sessions then names each session's network.
    #[arg(long, env = "ROSTER_GEOIP_NETWORK_DB")]
    pub geoip_network_db: Option<PathBuf>,
    /// Wrong console passwords one client address may try per minute, over all emails. Behind a reverse proxy
    /// every client has the proxy's address: raise this to what all your users together may mistype.
    #[arg(long, env = "ROSTER_SIGN_IN_FAILURES_PER_MINUTE", default_value_t = FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE)]
    pub sign_in_failures_per_minute: u32,
    /// A cap on the validations one app's API key may send per second to this node (each node counts its own);
    /// past it, 429 with Retry-After. None by default: validations are what an app sends for its users.
    #[arg(long, env = "ROSTER_APP_VALIDATIONS_PER_SECOND", value_parser = clap::value_parser!(u32).range(1..))]
    pub app_validations_per_second: Option<u32>,
    /// Other app API calls (creates, payloads, sign-outs) one key may send per second to this node.
    #[arg(long, env = "ROSTER_APP_CALLS_PER_SECOND", default_value_t = APP_CALLS_PER_SECOND,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub app_calls_per_second: u32,
    /// Admin API calls one admin token may send per second to this node.
    #[arg(long, env = "ROSTER_ADMIN_CALLS_PER_SECOND", default_value_t = ADMIN_CALLS_PER_SECOND,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub admin_calls_per_second: u32,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            listen: ([127, 0, 0, 1], 3000).into(),
            site_root: "target/site".into(),
            secure_cookies: CookieSecurity::Auto,
            geoip_db: None,
            geoip_network_db: None,
            public_url: None,
            sign_in_failures_per_minute: FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE,
            app_validations_per_second: None,
            app_calls_per_second: APP_CALLS_PER_SECOND,
            admin_calls_per_second: ADMIN_CALLS_PER_SECOND,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CookieSecurity {
    Auto,
    Always,
    Never,
}

impl ServeOptions {
    pub fn rates(&self) -> RateSettings {
        RateSettings {
            app_validations: self.app_validations_per_second.map(Rate::per_second),
            app_calls: Rate::per_second(self.app_calls_per_second),
            admin_calls: Rate::per_second(self.admin_calls_per_second),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        match self.secure_cookies {
            CookieSecurity::Always => true,
            CookieSecurity::Never => false,
            CookieSecurity::Auto => match &self.public_url {
                Some(url) => url.is_https(),
                None => !self.listen.ip().is_loopback(),
            },
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct CreateOwnerOptions {
    #[arg(long)]
    pub email: String,
    /// Shown in the console; defaults to the part of the email before the @.
    #[arg(long)]
    pub name: Option<String>,
    /// Read the password from standard input (required: passwords never go on the command line).
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a user; with --password-stdin they can sign in to the console.
    Create(CreateUserOptions),
    /// Disable a user: every session of theirs ends now, and new ones are refused until enabled.
    Disable {
        #[arg(long)]
        email: String,
        /// Why: kept on each ended session and in the audit log.
        #[arg(long)]
        reason: String,
    },
    /// Enable a disabled user: they can sign in again.
    Enable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct CreateUserOptions {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: Option<String>,
    /// owner, admin, billing_manager or member.
    #[arg(long, default_value = "member")]
    pub role: String,
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    Verify,
}
