//! **Update payload TTL**: a new expiry for an active session, as a date and time (UTC), a duration from now,
//! or Unlimited. The server checks it against the clock and the policy; a refusal shows here and changes nothing.

use leptos::prelude::*;

use super::super::state::use_console;
use crate::api::sessions::ttl::UpdateSessionTtl;
use crate::format::{utc_input, utc_minutes};
use crate::session_detail::{SessionDetail, TtlChange};

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
    let at = RwSignal::new(utc_input(detail.now_ms + 3_600_000));
    let amount = RwSignal::new("1".to_string());
    let unit_seconds = RwSignal::new(3_600_i64);
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| match update.value().get() {
        Some(Ok(expires_at_ms)) => {
            state.toast.set(Some(match expires_at_ms {
                Some(at_ms) => format!("Expiry updated: the session now ends {}.", utc_minutes(Some(at_ms))),
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
            Mode::At => TtlChange::At { utc: at.get_untracked() },
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
    let choice = move |value: Mode, label: &'static str| {
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
                    {format!("The policy allows up to {}.", utc_minutes(Some(detail.latest_expiry_ms)))}
                </p>
                {choice(Mode::At, "Date and time (UTC)")}
                <input
                    type="datetime-local"
                    aria-label="Expires at (UTC)"
                    disabled=move || mode.get() != Mode::At
                    prop:value=move || at.get()
                    on:input=move |event| at.set(event_target_value(&event))
                />
                {choice(Mode::Duration, "Duration from now")}
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
                {choice(Mode::Unlimited, "Unlimited (the idle timeout still applies)")}
            </fieldset>
            {move || problem.get().map(|message| view! { <p role="alert" class="form-error">{message}</p> })}
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                <button type="submit" class="button primary" disabled=move || update.pending().get()>"Save expiry"</button>
            </div>
        </form>
    }
}
