//! All integration tests in one binary (one link step). Storage cases run on SQLite and on PostgreSQL;
//! HTTP cases drive the real router with `oneshot`, no socket.

mod alarm_cases;
mod analytics_cases;
mod api_http;
mod apps_cases;
mod audit_cases;
mod child_server;
mod cluster_cases;
mod console_detail_http;
mod console_http;
mod crash_cases;
mod events_http;
mod history_cases;
mod hostile_input_http;
mod operations_http;
mod own_session_cases;
mod payload_key_cases;
mod recount_cases;
mod revoke_race_cases;
mod roles_http;
mod search_term_cases;
mod secrets_cases;
mod session_list_cases;
mod sessions_page_http;
mod settings_cases;
mod settings_http;
mod sign_in_cases;
mod sqlite_only;
mod storage_cases;
mod support;
mod users_cases;
mod users_http;
mod webhook_cases;
mod write_order_cases;

/// Declares each storage case twice: `sqlite::case` and `postgres::case`. The test command skips the
/// `postgres::` half, saying so, when no PostgreSQL server answers.
macro_rules! on_both_databases {
    ($name:ident = $suite:ident: $($case:ident),* $(,)?) => {
        mod $name {
            mod sqlite {
                $(
                    #[tokio::test]
                    async fn $case() {
                        let db = crate::support::TestDb::sqlite().await;
                        crate::$suite::$case(&db).await;
                    }
                )*
            }
            mod postgres {
                $(
                    #[tokio::test]
                    async fn $case() {
                        let db = crate::support::TestDb::postgres().await;
                        crate::$suite::$case(&db).await;
                        db.drop_database().await;
                    }
                )*
            }
        }
    };
}

/// The revoke race, on several threads, on each database.
mod revoke_race {
    mod sqlite {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn no_validation_is_accepted_after_its_revoke_returned_whichever_way_it_was_ended() {
            let db = crate::support::TestDb::sqlite().await;
            crate::revoke_race_cases::no_validation_is_accepted_after_its_revoke_returned_whichever_way_it_was_ended(&db)
                .await;
        }
    }
    mod postgres {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn no_validation_is_accepted_after_its_revoke_returned_whichever_way_it_was_ended() {
            let db = crate::support::TestDb::postgres().await;
            crate::revoke_race_cases::no_validation_is_accepted_after_its_revoke_returned_whichever_way_it_was_ended(&db)
                .await;
            db.drop_database().await;
        }
    }
}

/// Several nodes share a database only on PostgreSQL.
mod cluster {
    mod postgres {
        macro_rules! two_nodes {
            ($($case:ident),* $(,)?) => {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                    async fn $case() {
                        let db = crate::support::TestDb::postgres().await;
                        crate::cluster_cases::$case(&db).await;
                        db.drop_database().await;
                    }
                )*
            };
        }
        two_nodes!(
            a_change_on_one_node_reaches_the_others_consoles_once,
            a_burst_of_changes_reaches_the_other_node_as_a_few_events,
            a_command_run_from_the_shell_reaches_the_nodes_consoles,
            a_node_that_lost_its_listener_tells_its_consoles_to_fetch_everything,
            two_nodes_agree_on_every_session,
            validations_on_one_node_race_revocations_on_the_other,
            a_key_rotated_on_one_node_seals_the_other_nodes_next_payload,
            once_only_work_has_one_leader_and_another_takes_over,
        );
    }
}

on_both_databases!(
    payload_keys = payload_key_cases:
    the_first_start_stores_one_sealed_key_that_later_starts_read,
    a_key_file_from_an_earlier_version_is_moved_into_the_database,
    another_master_key_is_refused_with_what_to_do,
    payloads_whose_keys_are_gone_refuse_to_start_and_replaced_keys_are_refused,
    a_rotation_on_one_node_is_used_by_the_others_next_write,
);

on_both_databases!(
    hostile = hostile_input_http:
    every_api_route_refuses_hostile_input_and_writes_nothing,
);

on_both_databases!(
    recount = recount_cases:
    the_recount_reaches_what_the_triggers_keep,
    after_a_demo_load_the_triggers_count_again,
    a_load_dropped_unfinished_leaves_nothing_behind,
);

on_both_databases!(
    analytics = analytics_cases:
    kept_counts_follow_sessions_as_they_start_change_and_end,
    the_hourly_rollup_is_filled_in_once_and_keeps_each_hours_peak,
);

on_both_databases!(
    apps = apps_cases:
    a_new_key_is_counted_as_it_is_used_and_refused_once_revoked,
    an_admin_token_is_counted_and_refused_once_revoked,
    a_lowered_payload_limit_holds_for_the_next_write_only,
    bad_app_forms_and_unknown_apps_change_nothing,
);

on_both_databases!(
    api = api_http:
    create_validate_revoke_then_the_next_validate_is_refused,
    idle_and_absolute_limits_expire_sessions_on_a_controlled_clock,
    the_sweep_marks_unused_sessions_expired,
    a_sweep_batch_stops_at_its_time_budget_and_later_batches_finish,
    the_eleventh_session_of_a_user_is_refused,
    payloads_round_trip_and_respect_the_size_limit,
    a_refused_create_registers_no_user_and_a_disabled_user_is_refused,
    external_ids_belong_to_the_app_that_gave_them,
    the_holder_sees_and_signs_out_only_their_own_sessions_in_this_app,
    revoking_deletes_the_payload_ciphertext,
    the_holder_signs_out_and_apps_cannot_touch_each_others_sessions,
    validations_are_counted_in_batches,
    a_validation_reports_the_page_the_user_is_on,
    missing_or_wrong_credentials_are_refused,
    bad_input_gets_a_4xx_naming_the_problem_and_writes_nothing,
    the_admin_list_filters_pages_and_counts_in_the_database,
    revoking_a_user_ends_all_their_sessions,
    an_admins_reason_is_kept_on_each_ended_session_and_in_the_audit,
    stored_settings_change_the_policy,
);

on_both_databases!(
    own_sessions = own_session_cases:
    warning_signs_compare_each_sign_in_with_the_30_days_before_it,
);

on_both_databases!(
    storage = storage_cases:
    users_are_found_by_email_in_any_case_and_emails_are_unique,
    sql_metacharacters_are_stored_as_plain_text,
    failed_sign_ins_lock_after_the_limit_and_clear_on_success,
    racing_sign_in_attempts_never_slip_past_the_limit,
    a_console_session_is_found_by_its_token_hash_only,
    last_active_is_written_at_most_once_per_interval,
    ending_a_session_records_who_and_why_with_an_audit_event,
    a_users_own_sessions_exclude_ended_expired_and_other_users,
    the_audit_chain_verifies_and_reports_the_first_tampered_record,
    concurrent_audit_appends_keep_one_unbroken_chain,
    demo_data_seeds_every_status_kind_and_a_usable_app_key,
    operator_commands_register_apps_and_tokens_that_authenticate,
);

on_both_databases!(
    session_list = session_list_cases:
    every_sort_and_filter_pages_through_all_matches_in_order,
    search_matches_emails_names_ids_ips_apps_and_status,
    a_broad_search_is_capped_and_still_sorted,
    a_term_common_to_thousands_of_users_finds_the_same_sessions,
    counts_follow_creates_and_kill_all_keeps_one,
    every_page_is_reachable_and_a_search_past_its_cap_stops_at_its_window,
    deep_pages_start_where_the_kept_counts_place_them,
    a_few_thousand_users_among_many_are_paged_in_every_order,
);

on_both_databases!(
    search_terms = search_term_cases:
    an_ip_prefix_is_paged_in_every_order,
    a_long_term_matches_only_the_users_holding_all_of_it,
    a_search_with_more_matches_than_it_shows_stops_at_its_cap,
    a_history_search_with_more_matches_than_it_shows_stops_at_its_cap,
);

on_both_databases!(
    alarms = alarm_cases:
    four_addresses_raise_ip_spread_once_and_acknowledging_is_audited,
    a_refused_sign_in_at_the_limit_and_a_lock_out_raise_alarms,
    impossible_travel_and_a_new_country_are_judged_against_the_sign_in_before,
);

on_both_databases!(
    webhooks = webhook_cases:
    a_new_alarm_is_posted_signed_and_retried_until_delivered,
    bad_urls_are_refused_and_an_empty_one_removes_the_webhook,
);

on_both_databases!(
    audit = audit_cases:
    sign_ins_failures_and_sign_outs_are_recorded_and_searchable,
    the_siem_feed_follows_the_chain_in_order,
    checkpoints_catch_a_deleted_tail,
    two_nodes_appending_at_once_never_fork_the_chain,
);

on_both_databases!(
    history = history_cases:
    every_way_a_session_ends_is_named_newest_first,
    kill_all_is_counted_and_classified,
);

on_both_databases!(
    sign_in = sign_in_cases:
    parallel_wrong_passwords_get_at_most_the_limit_of_checks,
    one_address_trying_many_accounts_is_throttled,
);

on_both_databases!(
    users = users_cases:
    user_counts_follow_every_session_change_and_pages_sort_and_search,
    disabling_ends_every_session_and_refuses_new_ones_until_enabled,
    the_last_owner_can_be_neither_demoted_nor_disabled,
    an_ended_sessions_401_says_why_and_the_admins_reason_only_when_told,
    every_admin_endpoint_answers_only_an_admin_token,
    a_search_matching_very_many_users_is_capped_and_still_sorted,
    every_sort_pages_through_all_users_in_order,
);

on_both_databases!(
    settings = settings_cases:
    the_session_limit_refuses_or_signs_out_the_least_recently_active,
    saved_limits_reach_active_sessions_and_remember_me_can_be_switched_off,
);

on_both_databases!(
    write_order = write_order_cases:
    the_sweep_and_validations_ending_the_same_sessions_never_fail,
);
