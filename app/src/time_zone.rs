//! The viewer's time zone. The server cannot know it, so it renders every time in UTC; the browser renders the
//! same UTC text while it hydrates (so hydration matches), then learns its zone, and the lists render their rows
//! again in it. Relative times ("5 minutes ago") read the same in every zone.
//!
//! Rows take the zone as data (`Zone`), not as a signal each cell watches: one re-render of a list costs less
//! WASM than a reactive closure per time cell.

use leptos::prelude::*;

use crate::format::{compact_moment, wall_minutes};

/// The zone times are shown in: None is UTC (the server, and the browser until it has named its own).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Zone(Option<String>);

impl Zone {
    /// `Europe/Madrid`, or `UTC`.
    pub fn name(&self) -> &str {
        self.0.as_deref().unwrap_or("UTC")
    }

    /// Minutes the zone's clock is ahead of UTC at `at_ms` (asked per moment: summer time changes it).
    pub fn offset_minutes(&self, at_ms: i64) -> i64 {
        if self.0.is_none() {
            return 0;
        }
        #[cfg(feature = "hydrate")]
        return crate::browser::time_zone_offset_minutes(at_ms);
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = at_ms;
            0
        }
    }

    /// `2026-12-02 17:58 Europe/Madrid (16:58 UTC)`, or `2026-12-02 16:58 UTC`: for tooltips and dialogs.
    pub fn full(&self, at_ms: i64) -> String {
        let utc = wall_minutes(at_ms, 0);
        match self.offset_minutes(at_ms) {
            0 => format!("{utc} UTC"),
            offset => format!("{} {} ({} UTC)", wall_minutes(at_ms, offset), self.name(), &utc[11..]),
        }
    }
}

/// The viewer's zone, for the whole page (kept in `LiveEvents`).
#[derive(Clone, Copy)]
pub struct ViewerZone(RwSignal<Zone>);

impl Default for ViewerZone {
    fn default() -> Self {
        ViewerZone(RwSignal::new(Zone::default()))
    }
}

pub fn use_viewer_zone() -> ViewerZone {
    crate::components::live_events::use_live_events().zone
}

impl ViewerZone {
    /// Switches to the browser's zone: called once the page is hydrated (`hydration_mark`), so the first
    /// render in the browser matched the server's.
    pub fn learn_from_browser(&self) {
        #[cfg(feature = "hydrate")]
        if self.0.with_untracked(|zone| zone.0.is_none()) {
            let name = crate::browser::time_zone_name().unwrap_or_else(|| "local time".into());
            self.0.set(Zone(Some(name)));
        }
    }

    /// The zone now, tracked: a list that reads it renders again when the browser names its zone.
    pub fn get(&self) -> Zone {
        self.0.get()
    }

    /// The zone now, for views made once in a hydrated page (dialogs).
    pub fn get_untracked(&self) -> Zone {
        self.0.get_untracked()
    }
}

/// A moment in a table cell or card: compact text ("5 minutes ago", "2 Dec 17:58") and the full time in the
/// zone and in UTC on hover. No moment (an expiry that never comes) shows "-".
pub fn moment(zone: &Zone, now_ms: i64, at_ms: Option<i64>) -> impl IntoView {
    let text = at_ms.map_or_else(|| "-".into(), |at| compact_moment(now_ms, at, zone.offset_minutes(at)));
    view! { <time title=at_ms.map(|at| zone.full(at))>{text}</time> }
}

/// "Times in Europe/Madrid": said once per page, above its times.
#[component]
pub fn ZoneNote() -> impl IntoView {
    let zone = use_viewer_zone();
    view! { <p class="zone-note" data-testid="zone-note">"Times in " {move || zone.get().name().to_owned()}</p> }
}
