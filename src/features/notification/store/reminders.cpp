#include "features/notification/store/reminders.hpp"

#include <map>

#include "core/time.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/notification/store/notification_repo.hpp"
#include "features/referral/store/referral_repo.hpp"

namespace arrimage::store {

namespace d = domain;

ReminderRun raise_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                            bool email) {
    ReminderRun run;
    NotificationRepo notes(tx, clock, catalogue, public_base_url);
    const Date today = date_of(clock.now());
    std::map<std::int64_t, int> answer_days;  // per area
    for (const auto& a : awaiting_answer(tx)) {
        if (!answer_days.count(a.sda_id)) answer_days[a.sda_id] = AreaRulesRepo(tx, clock).rules(a.sda_id).referral_answer_days;
        const auto received = parse_iso(a.received_at);
        if (!received || !d::reminder_due(date_of(*received), today, answer_days[a.sda_id])) continue;
        auto users = notes.managers_of(a.organisation_id);
        for (auto u : sending_side_users(tx, a.id)) users.push_back(u);
        const std::string days = std::to_string(days_between(date_of(*received), today));
        NewNotification n{d::NoticeKind::referral_reminder,
                          a.reference,
                          "/referrals/" + std::to_string(a.id),
                          "notification.text.referral_reminder",
                          {a.reference, a.org_name_fr, days},
                          {a.reference, a.org_name_en, days},
                          d::reminder_key(a.id),
                          email};
        run.notifications += notes.notify(users, n);
        mark_reminded(tx, a.id, clock.now());
        ++run.referrals;
    }
    for (const auto& o : overdue_items(tx, clock)) {
        const auto users = o.coordinator_user_id ? std::vector<std::int64_t>{*o.coordinator_user_id}
                                                 : notes.managers_of(o.coordinating_agency_id);
        NewNotification n{
            d::NoticeKind::overdue,
            o.reference,
            // The coordinator's caseload shows the file whatever the family's consent
            // lets them see yet; the agency's managers open the intake.
            o.coordinator_user_id ? "/caseload#file-" + std::to_string(o.intake_id) : "/intake/" + std::to_string(o.intake_id),
            "notification.text.overdue",
            {o.reference, catalogue.t(Lang::fr, "intake.due." + o.key), o.due.iso()},
            {o.reference, catalogue.t(Lang::en, "intake.due." + o.key), o.due.iso()},
            d::overdue_key(o.intake_id, o.key, o.due),
            email};
        const int written = notes.notify(users, n);
        run.notifications += written;
        if (written > 0) ++run.overdue;
    }
    return run;
}

}  // namespace arrimage::store
