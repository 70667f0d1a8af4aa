//! What a user agent says about the device, parsed by woothee (a maintained, self-contained parser; no
//! regular expressions of ours).

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Device {
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    /// desktop, smartphone, mobile phone, crawler or appliance.
    pub device: Option<String>,
}

fn known(value: &str) -> Option<String> {
    (!value.is_empty() && value != woothee::woothee::VALUE_UNKNOWN).then(|| value.to_string())
}

pub fn parse_user_agent(user_agent: Option<&str>) -> Device {
    let Some(parsed) = user_agent.and_then(|text| woothee::parser::Parser::new().parse(text)) else {
        return Device::default();
    };
    Device {
        browser: known(parsed.name),
        browser_version: known(parsed.version),
        os: known(parsed.os),
        os_version: known(&parsed.os_version),
        device: known(parsed.category).map(|category| match category.as_str() {
            "pc" => "desktop".to_string(),
            "mobilephone" => "mobile phone".to_string(),
            _ => category,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_and_systems_are_recognised() {
        let chrome = parse_user_agent(Some(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        ));
        assert_eq!(chrome.browser.as_deref(), Some("Chrome"));
        assert_eq!(chrome.browser_version.as_deref(), Some("120.0.0.0"));
        assert_eq!(chrome.os.as_deref(), Some("Windows 10"));
        assert_eq!(chrome.device.as_deref(), Some("desktop"));

        let iphone = parse_user_agent(Some(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        ));
        assert_eq!(iphone.browser.as_deref(), Some("Safari"));
        assert_eq!(iphone.os.as_deref(), Some("iPhone"));
        assert_eq!(iphone.device.as_deref(), Some("smartphone"));
    }

    #[test]
    fn unknown_and_missing_agents_give_nothing() {
        assert_eq!(parse_user_agent(Some("my-cli/1.0")), Device::default());
        assert_eq!(parse_user_agent(None), Device::default());
    }
}
