//! **Update payload TTL**: a new expiry for an active session, as a date and time on the viewer's clock (the
//! zone named), a duration from now, or Unlimited. The server checks it against the clock and the policy; a refusal shows here and changes nothing.

use leptos::prelude::*;

use super::super::state::use_console;
use crate::api::sessions::ttl::UpdateSessionTtl;
use crate::format::{utc_input, wall_input};
use crate::session_detail::{SessionDetail, TtlChange};
use crate::time_zone::use_viewer_zone;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    At,
    Duration,
    Unlimited,
}

const UNITS: [(&str, i64); 3] = [("minutes", 60), ("hours", 3_600), ("days", 86_400)];

#[component]
pub fn TtlForm(detail: SessionDetail, open: RwSignal<bool>, reload: Callback<()>) -> impl IntoView {
    let state = use_console();
    let update = ServerAction::<UpdateSessionTtl>::new();
    let mode = RwSignal::new(Mode::At);
    // The dialog opens in a hydrated page: the zone is already the viewer's.
    let zone = use_viewer_zone().get_untracked();
    let in_an_hour = detail.now_ms + 3_600_000;
    let at = RwSignal::new(wall_input(in_an_hour, zone.offset_minutes(in_an_hour)));
    let zone_name = zone.name().to_owned();
    let amount = RwSignal::new("1".to_string());
    let unit_seconds = RwSignal::new(3_600_i64);
    let problem = RwSignal::new(None::<String>);
    let policy_limit = zone.full(detail.latest_expiry_ms);
    Effect::new(move |_| match update.value().get() {
        Some(Ok(expires_at_ms)) => {
            state.toast.set(Some(match expires_at_ms {
                Some(at_ms) => format!("Expiry updated: the session now ends {}.", zone.full(at_ms)),
                None => "Expiry updated: the session no longer has an expiry time.".to_string(),
            }));
            open.set(false);
            state.refresh.update(|n| *n += 1);
            reload.run(());
        }
        Some(Err(error)) => problem.set(Some(error.to_string())),
        None => {}
    });
    let session_id = detail.id.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let change = match mode.get_untracked() {
            Mode::At => match crate::browser::local_input_ms(&at.get_untracked()) {
                Some(ms) => TtlChange::At { utc: utc_input(ms) },
                None => {
                    problem.set(Some("Give a date and a time.".into()));
                    return;
                }
            },
            Mode::Duration => match amount.get_untracked().trim().parse::<i64>() {
                Ok(amount) => {
                    TtlChange::Seconds { seconds: amount.saturating_mul(unit_seconds.get_untracked()) }
                }
                Err(_) => {
                    problem.set(Some("Give the duration as a whole number.".into()));
                    return;
                }
            },
            Mode::Unlimited => TtlChange::Unlimited,
        };
        problem.set(None);
        update.dispatch(UpdateSessionTtl { session_id: session_id.clone(), change });
    };
    let choice = move |value: Mode, label: String| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="ttl-mode"
                    prop:checked=move || mode.get() == value
                    on:change=move |_| mode.set(value)
                />
                {label}
            </label>
        }
    };
    view! {
        <form class="ttl-form" id="detail-ttl" on:submit=submit>
            <fieldset>
                <legend>"New expiry"</legend>
                <p class="muted">
                    {format!("The policy allows up to {policy_limit}.")}
                </p>
                {choice(Mode::At, format!("Date and time ({zone_name})"))}
                <input
                    type="datetime-local"
                    aria-label=format!("Expires at ({zone_name})")
                    disabled=move || mode.get() != Mode::At
                    prop:value=move || at.get()
                    on:input=move |event| at.set(event_target_value(&event))
                />
                {choice(Mode::Duration, "Duration from now".into())}
                <span class="duration">
                    <input
                        type="number"
                        min="1"
                        aria-label="Duration"
                        disabled=move || mode.get() != Mode::Duration
                        prop:value=move || amount.get()
                        on:input=move |event| amount.set(event_target_value(&event))
                    />
                    <select
                        aria-label="Unit"
                        disabled=move || mode.get() != Mode::Duration
                        on:change=move |event| {
                            let chosen = event_target_value(&event);
                            if let Some((_, seconds)) = UNITS.iter().find(|(name, _)| *name == chosen) {
                                unit_seconds.set(*seconds);
                            }
                        }
                    >
                        {UNITS
                            .iter()
                            .map(|(name, seconds)| {
                                let seconds = *seconds;
                                view! { <option value=*name selected=move || unit_seconds.get() == seconds>{*name}</option> }
                            })
                            .collect_view()}
                    </select>
                </span>
                {choice(Mode::Unlimited, "Unlimited (the idle timeout still applies)".into())}
            </fieldset>
            {move || problem.get().map(|message| view! { <p role="alert" class="form-error">{message}</p> })}
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                <button type="submit" class="button primary" disabled=move || update.pending().get()>"Save expiry"</button>
            </div>
        </form>
    }
}
