use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::Parser;
use secrecy::ExposeSecret;

use app::model::Role;
use roster::audit_checkpoints::AuditCheckpoints;
use roster::cli::{
    AdminTokensCommand, AppsCommand, AuditCommand, Cli, Command, KeysCommand, StorageOptions, UsersCommand,
};
use roster::data_folder;
use roster::engine::{Engine, Event};
use roster::operator::{self, read_password, NewAccount};
use roster::payload_keys::{FirstKeys, MasterKey, PayloadKeys};
use roster::storage::Storage;

#[tokio::main]
async fn main() -> ExitCode {
    roster::logging::init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(message) => {
            if !message.is_empty() {
                println!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            // `{:#}` prints the cause chain on one line: "cannot create ./data: Permission denied".
            eprintln!("roster: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn demo(storage: &Storage, keys: &PayloadKeys, sessions: usize) -> anyhow::Result<String> {
    if sessions > 5_000_000 {
        bail!("--sessions must be at most 5000000");
    }
    let started = std::time::Instant::now();
    let now_ms = roster::clock::Clock::now_ms(&roster::clock::SystemClock);
    let report = roster::demo::seed(storage, keys, sessions, now_ms).await?;
    let mut message = format!(
        "Seeded {} users and {} sessions in {:.1} s.",
        report.users,
        report.sessions,
        started.elapsed().as_secs_f64()
    );
    for (app, key) in report.api_keys {
        message.push_str(&format!("\nAPI key for demo app {app} (shown once): {key}"));
    }
    Ok(message)
}

/// The payload key ring, stored in the database and sealed by the master key (`ROSTER_MASTER_KEY`, or the data
/// folder's master key file, made on first start). A database without keys gets an earlier version's key file or
/// `ROSTER_PAYLOAD_KEY` moved in, or a new key.
async fn payload_keys(storage: &Storage, options: &StorageOptions) -> anyhow::Result<PayloadKeys> {
    let master = match &options.master_key {
        Some(key) => MasterKey::configured(key),
        None => MasterKey::in_folder(&options.data_dir),
    }
    .context("cannot load the master key")?;
    let key_file = options.data_dir.join("payload-keys.json");
    let first = match &options.payload_key {
        Some(key) => FirstKeys::Configured(key),
        None => FirstKeys::KeyFile(&key_file),
    };
    let now_ms = roster::clock::Clock::now_ms(&roster::clock::SystemClock);
    PayloadKeys::load(storage, master, first, now_ms).await.context("cannot load the payload keys")
}

/// The engine for a command run from the shell beside (or without) a server.
fn operator_engine(storage: &Storage, keys: PayloadKeys) -> Engine {
    Engine::new(storage.clone(), keys, None, std::sync::Arc::new(roster::clock::SystemClock))
}

/// Runs a shell command on `engine`; on PostgreSQL the nodes serving the database then hear what it changed, so
/// their open consoles follow it as they follow a change made through a node.
async fn operate<T, Fut>(engine: Engine, command: impl FnOnce(Engine) -> Fut) -> T
where
    Fut: std::future::Future<Output = T>,
{
    let recorded = engine.record_shell_events();
    let result = command(engine.clone()).await;
    engine.send_shell_events(recorded).await;
    result
}

async fn run(cli: Cli) -> anyhow::Result<String> {
    // The folder holds the key file on PostgreSQL too.
    data_folder::prepare(&cli.storage.data_dir)?;
    let url = match &cli.storage.database_url {
        Some(url) => url.clone(),
        None => data_folder::sqlite_database(&cli.storage.data_dir)?,
    };
    // One server per SQLite database: its validation cache trusts that every revocation passes through it.
    let _serve_lock = match (&cli.command, url.starts_with("sqlite:")) {
        (None | Some(Command::Serve(_)), true) => Some(data_folder::lock_for_serving(&cli.storage.data_dir)?),
        _ => None,
    };
    let storage = Storage::connect(&url).await?;
    let keys = || payload_keys(&storage, &cli.storage);
    let stdin = || read_password(std::io::stdin().lock());
    let result = match cli.command.unwrap_or(Command::Serve(Default::default())) {
        Command::Serve(options) => {
            let checkpoints = Arc::new(AuditCheckpoints::open(&cli.storage.data_dir)?);
            roster::serve::serve(storage.clone(), keys().await?, checkpoints, options).await.map(|()| String::new()).map_err(anyhow::Error::msg)
        }
        Command::Apps(AppsCommand::Create(options)) => {
            let (id, name, max_payload_bytes) = (&options.id, &options.name, options.max_payload_bytes);
            operate(operator_engine(&storage, keys().await?), move |engine| async move {
                operator::register_app(&engine, id, name, max_payload_bytes).await
            })
            .await
            .map(|key| {
                    format!(
                        "Registered app {}. Its API key, shown only now:\n\n  {}\n\nSend it as `Authorization: Bearer <key>` to /api/v1.",
                        options.id,
                        key.expose_secret()
                    )
                })
                .map_err(anyhow::Error::from)
        }
        Command::AdminTokens(AdminTokensCommand::Create { name }) => operate(operator_engine(&storage, keys().await?), |engine| {
            let name = &name;
            async move { operator::create_admin_token(&engine, name).await }
        })
        .await
        .map(|token| {
                format!(
                    "Admin token {:?}, shown only now:\n\n  {}\n\nSend it as `Authorization: Bearer <token>` to /api/admin.",
                    name.trim(),
                    token.expose_secret()
                )
            })
            .map_err(anyhow::Error::from),
        Command::Demo { sessions } => demo(&storage, &keys().await?, sessions).await,
        Command::Keys(KeysCommand::Rotate) => operate(operator_engine(&storage, keys().await?), |engine| async move {
            operator::rotate_keys(&engine).await
        })
        .await
            .map(|id| {
                format!(
                    "Payload key {id} is now current; older keys keep decrypting. Every node sharing this database \
                     seals its next payload with it."
                )
            })
            .map_err(anyhow::Error::from),
        Command::CreateOwner(options) => {
            let account = NewAccount {
                email: &options.email,
                name: options.name.as_deref(),
                role: Role::Owner,
                password: Some(stdin()?),
            };
            operator::create_first_owner(&storage, account)
                .await
                .map(|owner| format!("Created owner {}. Sign in at /login.", owner.email))
                .map_err(anyhow::Error::from)
        }
        Command::Users(UsersCommand::Create(options)) => {
            let role = operator::parse_role(&options.role)?;
            let password = if options.password_stdin { Some(stdin()?) } else { None };
            let account = NewAccount { email: &options.email, name: options.name.as_deref(), role, password };
            // No payload is read or written: the keys are not loaded (loading may write the first ones).
            let storage = &storage;
            operate(operator_engine(storage, PayloadKeys::unused()), move |engine| async move {
                let created = operator::create_user(storage, account).await;
                if let Ok(user) = &created {
                    engine.events.publish(Event::users(user.id));
                }
                created
            })
            .await
            .map(|user| {
                    format!("Created {} {} (user id {}).", user.role.label().to_lowercase(), user.email, user.id)
                })
                .map_err(anyhow::Error::from)
        }
        Command::Users(UsersCommand::Disable { email, reason }) => {
            let (who, why) = (&email, &reason);
            operate(operator_engine(&storage, keys().await?), move |engine| async move {
                operator::disable_user(&engine, who, why).await
            })
            .await
                .map(|ended| format!("Disabled {email}; {ended} active sessions ended."))
                .map_err(anyhow::Error::from)
        }
        Command::Users(UsersCommand::Enable { email }) => {
            let who = &email;
            operate(operator_engine(&storage, keys().await?), move |engine| async move {
                operator::enable_user(&engine, who).await
            })
            .await
                .map(|()| format!("Enabled {email}: they can sign in again."))
                .map_err(anyhow::Error::from)
        }
        Command::Audit(AuditCommand::Verify) => {
            // Verifying reads the chain only: it must not write the first payload keys (an audited change).
            let mut engine = operator_engine(&storage, PayloadKeys::unused());
            engine.checkpoints = Some(Arc::new(AuditCheckpoints::open(&cli.storage.data_dir)?));
            operator::verify_audit(&engine)
                .await
                .map(|(records, checkpoints)| {
                    format!(
                        "The audit chain is intact: {records} records verified, and {checkpoints} signed checkpoints match it."
                    )
                })
                .map_err(anyhow::Error::from)
        }
    };
    storage.close().await;
    result
}
