use std::process::ExitCode;

use clap::Parser;

use roster::cli::{AuditCommand, Cli, Command, UsersCommand};
use roster::operator::{self, read_password};
use roster::storage::{sqlite_url_for, Storage};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(message) => {
            if !message.is_empty() {
                println!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("roster: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<String, String> {
    let url = match &cli.storage.database_url {
        Some(url) => url.clone(),
        None => {
            std::fs::create_dir_all(&cli.storage.data_dir).map_err(|error| {
                format!("cannot create {}: {error}", cli.storage.data_dir.display())
            })?;
            sqlite_url_for(&cli.storage.data_dir)
        }
    };
    let storage = Storage::connect(&url)
        .await
        .map_err(|error| error.to_string())?;
    let stdin = || read_password(std::io::stdin().lock()).map_err(|error| error.to_string());
    let result = match cli.command.unwrap_or(Command::Serve(Default::default())) {
        Command::Serve(options) => roster::serve::serve(storage.clone(), options)
            .await
            .map(|()| String::new())
            .map_err(|error| format!("the server stopped: {error}")),
        Command::CreateOwner(options) => operator::create_owner(&storage, &options, stdin()?)
            .await
            .map_err(|error| error.to_string()),
        Command::Users(UsersCommand::Create(options)) => {
            let password = if options.password_stdin {
                Some(stdin()?)
            } else {
                None
            };
            operator::create_user(&storage, &options, password)
                .await
                .map_err(|error| error.to_string())
        }
        Command::Audit(AuditCommand::Verify) => operator::verify_audit(&storage)
            .await
            .map_err(|error| error.to_string()),
    };
    storage.close().await;
    result
}
