use proptest::prelude::*;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn package(id: Id, purchased_on: NaiveDate, expires_on: NaiveDate, balance_minutes: i64) -> PackageBalance {
    PackageBalance { id, purchased_minutes: 600, purchased_on, expires_on, balance_minutes }
}

fn alloc(package_id: Id, minutes: i64) -> Allocation {
    Allocation { package_id, minutes }
}

const TODAY: (i32, u32, u32) = (2026, 11, 27);

fn today() -> NaiveDate {
    day(TODAY.0, TODAY.1, TODAY.2)
}

/// Three packages: 1 expired yesterday (with hours left), 2 expires at year end, 3 next June.
fn three() -> Vec<PackageBalance> {
    vec![
        package(3, day(2026, 6, 1), day(2027, 6, 1), 300),
        package(1, day(2025, 11, 26), day(2026, 11, 26), 500),
        package(2, day(2026, 1, 10), day(2026, 12, 31), 120),
    ]
}

#[test]
fn entry_kinds_carry_their_sign() {
    assert_eq!(LedgerEntry::new(7, LedgerEntryKind::Purchase, 600).map(|e| e.minutes), Some(600));
    assert_eq!(LedgerEntry::new(7, LedgerEntryKind::Release, 60).map(|e| e.minutes), Some(60));
    for kind in [LedgerEntryKind::Consumption, LedgerEntryKind::Expiry, LedgerEntryKind::Reservation] {
        assert_eq!(LedgerEntry::new(7, kind, 90).map(|e| e.minutes), Some(-90), "{kind}");
    }
    assert_eq!(LedgerEntry::new(7, LedgerEntryKind::Adjustment, 90), None);
    assert_eq!(LedgerEntry::new(7, LedgerEntryKind::Reversal, 90), None);
    assert_eq!(LedgerEntry::new(7, LedgerEntryKind::Purchase, 0), None);
    assert_eq!(LedgerEntry::new(7, LedgerEntryKind::Consumption, -5), None);
}

#[test]
fn entries_are_checked_before_they_are_written() {
    let entry = |kind, minutes| LedgerEntry { package_id: 7, kind, minutes };
    assert_eq!(check_entry(&entry(LedgerEntryKind::Purchase, 600), None), Ok(()));
    assert_eq!(check_entry(&entry(LedgerEntryKind::Purchase, -600), None).unwrap_err().field, "minutes");
    assert_eq!(check_entry(&entry(LedgerEntryKind::Consumption, 60), None).unwrap_err().field, "minutes");
    assert_eq!(check_entry(&entry(LedgerEntryKind::Adjustment, -60), None), Ok(()));
    assert_eq!(check_entry(&entry(LedgerEntryKind::Adjustment, 60), None), Ok(()));
    assert_eq!(check_entry(&entry(LedgerEntryKind::Adjustment, 0), None).unwrap_err().code, FieldErrorCode::Invalid);

    let consumption = entry(LedgerEntryKind::Consumption, -90);
    let reversal = consumption.reversal().unwrap();
    assert_eq!(reversal, entry(LedgerEntryKind::Reversal, 90));
    assert_eq!(check_entry(&reversal, Some(&consumption)), Ok(()));
    assert_eq!(check_entry(&reversal, None).unwrap_err().code, FieldErrorCode::Required);
    // Not the exact opposite, or another package's entry.
    assert!(check_entry(&entry(LedgerEntryKind::Reversal, 60), Some(&consumption)).is_err());
    let elsewhere = LedgerEntry { package_id: 8, ..consumption };
    assert!(check_entry(&reversal, Some(&elsewhere)).is_err());
    // A reversal is not reversed again; other kinds reverse nothing.
    assert_eq!(reversal.reversal().unwrap_err().code, FieldErrorCode::NotAllowed);
    assert!(check_entry(&entry(LedgerEntryKind::Reversal, -90), Some(&reversal)).is_err());
    assert_eq!(
        check_entry(&entry(LedgerEntryKind::Adjustment, 90), Some(&consumption)).unwrap_err().code,
        FieldErrorCode::NotAllowed
    );
    // Reversing an adjustment of either sign.
    let minus = entry(LedgerEntryKind::Adjustment, -30);
    assert_eq!(minus.reversal().unwrap().minutes, 30);
}

#[test]
fn the_balance_is_the_sum_of_the_entries() {
    let e = |kind, minutes| LedgerEntry { package_id: 1, kind, minutes };
    let entries = [
        e(LedgerEntryKind::Purchase, 600),
        e(LedgerEntryKind::Consumption, -90),
        e(LedgerEntryKind::Reservation, -120),
        e(LedgerEntryKind::Release, 30),
        e(LedgerEntryKind::Adjustment, -15),
        e(LedgerEntryKind::Reversal, 90),
    ];
    assert_eq!(balance(&entries), 600 - 90 - 120 + 30 - 15 + 90);
    assert_eq!(balance(&[]), 0);
    assert_eq!(balance(&[e(LedgerEntryKind::Purchase, i64::MAX), e(LedgerEntryKind::Purchase, 1)]), i64::MAX);
}

#[test]
fn allocation_takes_from_the_package_that_expires_first_and_skips_expired_ones() {
    let packages = three();
    // Package 1 has 500 min but expired yesterday; 2 expires before 3.
    assert_eq!(allocate(&packages, today(), 60, false), Ok(vec![alloc(2, 60)]));
    assert_eq!(allocate(&packages, today(), 200, false), Ok(vec![alloc(2, 120), alloc(3, 80)]));
    assert_eq!(available_minutes(&packages, today()), 420);
    // On its last day package 1 is still live and goes first.
    assert_eq!(allocate(&packages, day(2026, 11, 26), 600, false), Ok(vec![alloc(1, 500), alloc(2, 100)]));
}

#[test]
fn allocation_across_three_live_packages_with_exact_balance_and_one_minute_short() {
    let packages = vec![
        package(10, day(2026, 1, 1), day(2027, 1, 1), 60),
        package(11, day(2026, 2, 1), day(2026, 12, 1), 30),
        package(12, day(2026, 3, 1), day(2027, 3, 1), 45),
        package(13, day(2025, 1, 1), day(2026, 1, 1), 999),
    ];
    assert_eq!(allocate(&packages, today(), 135, false), Ok(vec![alloc(11, 30), alloc(10, 60), alloc(12, 45)]));
    assert_eq!(
        allocate(&packages, today(), 136, false),
        Err(AllocationError::InsufficientHours { available_minutes: 135, requested_minutes: 136 })
    );
}

#[test]
fn ties_go_to_the_older_purchase_then_the_lower_id() {
    let expires = day(2026, 12, 31);
    let packages = vec![
        package(5, day(2026, 3, 1), expires, 10),
        package(4, day(2026, 3, 1), expires, 10),
        package(6, day(2026, 2, 1), expires, 10),
    ];
    assert_eq!(allocate(&packages, today(), 25, false), Ok(vec![alloc(6, 10), alloc(4, 10), alloc(5, 5)]));
}

#[test]
fn empty_and_overdrawn_packages_give_nothing() {
    let packages = vec![
        package(1, day(2026, 1, 1), day(2026, 12, 1), 0),
        package(2, day(2026, 1, 1), day(2026, 12, 2), -30),
        package(3, day(2026, 1, 1), day(2026, 12, 3), 40),
    ];
    assert_eq!(allocate(&packages, today(), 40, false), Ok(vec![alloc(3, 40)]));
    assert_eq!(available_minutes(&packages, today()), 40);
}

#[test]
fn overdraft_puts_the_remainder_on_the_live_package_that_expires_last() {
    let packages = three();
    // 420 live minutes; 500 asked: 120 from 2, 300 + 80 overdrawn on 3.
    assert_eq!(allocate(&packages, today(), 500, true), Ok(vec![alloc(2, 120), alloc(3, 380)]));
    assert_eq!(
        allocate(&packages, today(), 500, false),
        Err(AllocationError::InsufficientHours { available_minutes: 420, requested_minutes: 500 })
    );
    // When the last-expiring package is empty it still carries the debt, as a separate line.
    let packages =
        vec![package(1, day(2026, 1, 1), day(2026, 12, 1), 30), package(2, day(2026, 1, 1), day(2027, 12, 1), 0)];
    assert_eq!(allocate(&packages, today(), 100, true), Ok(vec![alloc(1, 30), alloc(2, 70)]));
}

#[test]
fn no_live_package_is_an_error_even_with_overdraft() {
    let expired = vec![package(1, day(2025, 1, 1), day(2026, 1, 1), 600)];
    for overdraft in [false, true] {
        assert_eq!(
            allocate(&expired, today(), 60, overdraft),
            Err(AllocationError::InsufficientHours { available_minutes: 0, requested_minutes: 60 })
        );
        assert_eq!(
            allocate(&[], today(), 60, overdraft),
            Err(AllocationError::InsufficientHours { available_minutes: 0, requested_minutes: 60 })
        );
    }
}

#[test]
fn zero_or_negative_requests_are_refused() {
    for minutes in [0, -1, i64::MIN] {
        assert_eq!(
            allocate(&three(), today(), minutes, true),
            Err(AllocationError::NotPositive { requested_minutes: minutes })
        );
    }
}

#[test]
fn allocations_become_signed_entries() {
    let allocations = [alloc(2, 120), alloc(3, 80)];
    let consumed = entries_for(LedgerEntryKind::Consumption, &allocations).unwrap();
    assert_eq!(consumed.iter().map(|e| (e.package_id, e.minutes)).collect::<Vec<_>>(), [(2, -120), (3, -80)]);
    let released = entries_for(LedgerEntryKind::Release, &allocations).unwrap();
    assert_eq!(balance(&released) + balance(&consumed), 0);
    assert_eq!(entries_for(LedgerEntryKind::Adjustment, &allocations), None);
    for entry in &consumed {
        assert_eq!(check_entry(entry, None), Ok(()));
    }
}

#[test]
fn expired_packages_with_hours_left_expire_once() {
    let mut packages = three();
    packages.push(package(4, day(2025, 1, 1), day(2026, 1, 1), 0));
    packages.push(package(5, day(2025, 1, 1), day(2026, 1, 1), -45));
    let entries = expiry_entries(&packages, today());
    assert_eq!(entries, [LedgerEntry { package_id: 1, kind: LedgerEntryKind::Expiry, minutes: -500 }]);
    assert_eq!(check_entry(&entries[0], None), Ok(()));
    // Written, the balance is zero and the next run finds nothing.
    for p in &mut packages {
        p.balance_minutes += balance(&entries.iter().filter(|e| e.package_id == p.id).copied().collect::<Vec<_>>());
    }
    assert_eq!(expiry_entries(&packages, today()), []);
    // On its last day a package has not expired yet.
    assert_eq!(expiry_entries(&three(), day(2026, 11, 26)), []);
}

#[test]
fn thresholds_are_crossed_downward_only() {
    use BalanceThreshold::*;
    // 1 000 minutes bought: 20 % is 200.
    assert_eq!(crossed_thresholds(300, 0, 1_000), [TwentyPercent, Empty]);
    assert_eq!(crossed_thresholds(300, 200, 1_000), [TwentyPercent]);
    assert_eq!(crossed_thresholds(300, 201, 1_000), []);
    assert_eq!(crossed_thresholds(201, 200, 1_000), [TwentyPercent]);
    assert_eq!(crossed_thresholds(200, 150, 1_000), []);
    assert_eq!(crossed_thresholds(150, 0, 1_000), [Empty]);
    assert_eq!(crossed_thresholds(150, -60, 1_000), [Empty]);
    assert_eq!(crossed_thresholds(0, -60, 1_000), []);
    assert_eq!(crossed_thresholds(0, 300, 1_000), []);
    assert_eq!(crossed_thresholds(150, 300, 1_000), []);
    // 20 % of 7 is 1.4: 2 is above, 1 is at or below.
    assert_eq!(crossed_thresholds(2, 1, 7), [TwentyPercent]);
    // Nothing live bought: only empty can be crossed.
    assert_eq!(crossed_thresholds(60, 0, 0), [Empty]);
    assert_eq!(crossed_thresholds(i64::MAX, i64::MIN, i64::MAX), [TwentyPercent, Empty]);
    assert_eq!(live_purchased_minutes(&three(), today()), 1_200);
}

#[test]
fn packages_expiring_within_the_window_are_announced() {
    let packages = three();
    assert_eq!(expiring_soon(&packages, today(), 30), Vec::<&PackageBalance>::new());
    // 2 expires on 31 December: 34 days away.
    let ids = |list: Vec<&PackageBalance>| list.iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids(expiring_soon(&packages, day(2026, 12, 1), 30)), [2]);
    assert_eq!(ids(expiring_soon(&packages, day(2026, 12, 31), 30)), [2]);
    assert_eq!(ids(expiring_soon(&packages, day(2027, 1, 1), 30)), Vec::<Id>::new());
    assert_eq!(ids(expiring_soon(&packages, day(2027, 5, 2), 30)), [3]);
    // Empty packages have nothing to lose.
    let empty = [package(9, day(2026, 1, 1), day(2026, 12, 1), 0)];
    assert!(expiring_soon(&empty, today(), 30).is_empty());
    assert_eq!(ids(expiring_soon(&packages, today(), u64::MAX)), [2, 3]);
}

#[test]
fn only_categories_marked_for_hour_packages_may_spend_hours() {
    let policy = Policy::from_toml(include_str!("../../../../policy/default.toml")).unwrap();
    for id in ["new_feature", "custom_modification", "server_structural_change"] {
        assert!(can_spend_hours(&policy, id), "{id}");
    }
    for id in ["bug_fix", "server_availability", "post_acceptance_warranty", "software_administration", "nope"] {
        assert!(!can_spend_hours(&policy, id), "{id}");
    }
}

fn packages_strategy() -> impl Strategy<Value = Vec<PackageBalance>> {
    let one = (1_i64..50, 0_i64..400, -10_i64..600, -200_i64..2_000).prop_map(|(id, start, len, balance)| {
        let purchased_on = day(2026, 1, 1) + chrono::Days::new(start as u64);
        let expires_on = purchased_on.checked_add_signed(chrono::Duration::days(len)).unwrap();
        PackageBalance {
            id,
            purchased_minutes: balance.max(0) + 60,
            purchased_on,
            expires_on,
            balance_minutes: balance,
        }
    });
    prop::collection::vec(one, 0..6).prop_map(|mut list| {
        list.sort_by_key(|p| p.id);
        list.dedup_by_key(|p| p.id);
        list
    })
}

proptest! {
    #[test]
    fn allocation_sums_to_the_request_and_respects_balances(
        packages in packages_strategy(),
        offset in 0_u64..500,
        minutes in 1_i64..5_000,
        overdraft in any::<bool>(),
    ) {
        let today = day(2026, 1, 1) + chrono::Days::new(offset);
        match allocate(&packages, today, minutes, overdraft) {
            Ok(allocations) => {
                prop_assert_eq!(allocations.iter().map(|a| a.minutes).sum::<i64>(), minutes);
                let mut ids: Vec<Id> = allocations.iter().map(|a| a.package_id).collect();
                ids.sort();
                ids.dedup();
                prop_assert_eq!(ids.len(), allocations.len());
                for a in &allocations {
                    let p = packages.iter().find(|p| p.id == a.package_id).unwrap();
                    prop_assert!(p.is_live(today) && a.minutes > 0);
                    if !overdraft {
                        prop_assert!(a.minutes <= p.balance_minutes);
                    }
                }
                if !overdraft {
                    prop_assert!(minutes <= available_minutes(&packages, today));
                }
            }
            Err(AllocationError::InsufficientHours { available_minutes: available, requested_minutes }) => {
                prop_assert_eq!(requested_minutes, minutes);
                prop_assert_eq!(available, available_minutes(&packages, today));
                prop_assert!(available < minutes);
                prop_assert!(!overdraft || packages.iter().all(|p| !p.is_live(today)));
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn expiring_everything_due_leaves_no_positive_expired_balance(packages in packages_strategy(), offset in 0_u64..800) {
        let today = day(2026, 1, 1) + chrono::Days::new(offset);
        let entries = expiry_entries(&packages, today);
        for p in &packages {
            let after = p.balance_minutes + entries.iter().filter(|e| e.package_id == p.id).map(|e| e.minutes).sum::<i64>();
            if p.is_live(today) || p.balance_minutes <= 0 {
                prop_assert_eq!(after, p.balance_minutes);
            } else {
                prop_assert_eq!(after, 0);
            }
        }
    }
}
