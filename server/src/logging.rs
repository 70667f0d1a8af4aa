//! Log lines for people (the default) or, with `ROSTER_LOG_FORMAT=json`, one JSON object per line for a log
//! collector, carrying the request span's fields (method, path, request id). `RUST_LOG` picks what is written.

use tracing_subscriber::EnvFilter;

pub const FORMAT_VARIABLE: &str = "ROSTER_LOG_FORMAT";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    /// An unknown value is not fatal (logs matter most when something else is wrong): text, with a warning.
    pub fn parse(value: Option<&str>) -> (LogFormat, Option<String>) {
        match value.map(str::trim) {
            None | Some("") | Some("text") => (LogFormat::Text, None),
            Some("json") => (LogFormat::Json, None),
            Some(other) => (
                LogFormat::Text,
                Some(format!("{FORMAT_VARIABLE}={other:?} is not text or json; writing text")),
            ),
        }
    }
}

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
    let (format, warning) = LogFormat::parse(std::env::var(FORMAT_VARIABLE).ok().as_deref());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).init(),
    }
    if let Some(warning) = warning {
        tracing::warn!("{warning}");
    }
}

#[cfg(test)]
mod tests {
    use super::LogFormat;

    #[test]
    fn the_log_format_is_text_unless_json_is_asked_for() {
        assert_eq!(LogFormat::parse(None).0, LogFormat::Text);
        assert_eq!(LogFormat::parse(Some("json")), (LogFormat::Json, None));
        let (format, warning) = LogFormat::parse(Some("yaml"));
        assert_eq!(format, LogFormat::Text);
        assert!(warning.unwrap().contains("yaml"));
    }
}
