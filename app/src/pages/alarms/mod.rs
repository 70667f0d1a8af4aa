//! `/alarms`: what looked wrong, open alarms first, for owners and admins; **Acknowledge**, and **Logout All
//! Devices** for the user an alarm is about. New alarms appear through the live event stream.

mod list;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::alarms::{AlarmPage, AlarmView};
use crate::api::alarms::{acknowledge_alarm, list_alarms, AcknowledgeAlarm};
use crate::api::users::{force_sign_out_user, ForceSignOutUser};
use crate::components::live_events::use_live_events;
use crate::components::pager::{ListPager, PagerState};
use crate::components::reason_dialog::ReasonDialog;
use crate::components::require_user::RequireUser;
use crate::components::toast::Toast;
use crate::error::ConsoleError;
use crate::format::{count_of, thousands};
use crate::routes;
use crate::session_query::url_with;
use crate::time_zone::ZoneNote;

/// What the rows and cards share: acknowledging, and the alarm whose Logout All Devices dialog is open.
#[derive(Clone, Copy)]
pub struct AlarmsState {
    pub acknowledge: Action<AcknowledgeAlarm, Result<(), ConsoleError>>,
    pub force_target: RwSignal<Option<AlarmView>>,
}

#[component]
pub fn AlarmsRoutePage() -> impl IntoView {
    view! { <RequireUser page=&routes::ALARMS children=|_| view! { <Alarms/> }/> }
}

fn page_url(page: u32, _size: u32) -> String {
    let params = if page == 1 { Vec::new() } else { vec![("page", page.to_string())] };
    url_with(routes::ALARMS.path, &params)
}

#[component]
fn Alarms() -> impl IntoView {
    let params = use_query_map();
    let page_number = Memo::new(move |_| {
        params.with(|map| {
            map.get("page").and_then(|page| page.parse().ok()).filter(|page| *page >= 1).unwrap_or(1)
        })
    });
    let live = use_live_events();
    let acknowledge = Action::new(|input: &AcknowledgeAlarm| acknowledge_alarm(input.alarm_id));
    let force = Action::new(|input: &ForceSignOutUser| {
        force_sign_out_user(input.user_id, input.reason.clone(), input.tell_user)
    });
    // The open count rides on the stream's alarms event: a change in it is a change in the list too.
    let page = Resource::new(
        move || {
            let changes = (live.alarms.get(), live.open_alarms.get(), live.sessions.get());
            (page_number.get(), changes, acknowledge.version().get(), force.version().get())
        },
        |(page, ..)| list_alarms(page),
    );
    let state = AlarmsState { acknowledge, force_target: RwSignal::new(None) };
    provide_context(state);
    let toast = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(outcome) = acknowledge.value().get() {
            toast.set(Some(match outcome {
                Ok(()) => "Alarm acknowledged.".to_string(),
                Err(error) => error.to_string(),
            }));
        }
    });
    Effect::new(move |_| {
        if let Some(outcome) = force.value().get() {
            toast.set(Some(match outcome {
                Ok(ended) => format!("Signed out everywhere: {} ended.", count_of(ended as i64, "session")),
                Err(error) => error.to_string(),
            }));
        }
    });
    let data = Memo::new(move |_| page.get().and_then(Result::ok));
    let pager = Memo::new(move |_| {
        data.with(|page| {
            page.as_ref().map(|page: &AlarmPage| PagerState {
                page: page.page,
                size: page.size,
                shown: page.rows.len(),
                total: page.total,
                total_is_exact: true,
                unit: "alarms",
            })
        })
    });
    let facts = move |alarm: AlarmView| {
        view! {
            <dl class="confirm-facts">
                <dt>"User"</dt>
                <dd>{alarm.subject.clone()}</dd>
                <dt>"Active sessions"</dt>
                <dd>{thousands(alarm.active_sessions)}</dd>
            </dl>
            <p>"Every session of this user ends at once, in every app. They can sign in again."</p>
        }
    };
    let confirm = move |alarm: AlarmView, reason: String, tell_user: bool| {
        if let Some(user_id) = alarm.user_id {
            force.dispatch(ForceSignOutUser { user_id, reason, tell_user });
        }
    };
    view! {
        <section class="page alarms">
            <div class="page-head">
                <div>
                    <h1>"Alarms"</h1>
                    <Transition>
                        <p class="subtitle" data-testid="open-alarms">
                            {move || Suspend::new(async move {
                                page.await.ok().map(|page| format!("{} open", thousands(page.open)))
                            })}
                        </p>
                    </Transition>
                </div>
            </div>
            <ZoneNote/>
            <Transition fallback=|| view! { <p class="loading">"Loading alarms…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(loaded) if loaded.rows.is_empty() => Either::Left(Either::Left(view! {
                            <p class="empty">"No alarms. Roster raises one when a sign-in looks wrong."</p>
                        })),
                        Ok(_) => Either::Left(Either::Right(view! {
                            <list::AlarmTable data/>
                            <list::AlarmCards data/>
                            <ListPager state=pager url=page_url fixed_size=true/>
                        })),
                        Err(error) => Either::Right(view! { <p role="alert" class="form-error">{error.to_string()}</p> }),
                    }
                })}
            </Transition>
            <ReasonDialog id="alarm-force-title" title="Force sign out user" target=state.force_target facts confirm/>
            <Toast message=toast/>
        </section>
    }
}

pub fn use_alarms() -> AlarmsState {
    expect_context::<AlarmsState>()
}
