#include "store/directory_reminders.hpp"

#include <map>
#include <vector>

#include "store/auth_repo.hpp"
#include "store/directory_repo.hpp"

namespace arrimage::store {

int queue_stale_waitlist_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, int stale_days,
                                   const std::string& public_base_url) {
    // One run at a time across nodes: two runs at once would both read the same stale services
    // and queue the same emails (the outbox does not deduplicate).
    tx.lock("waitlist_reminders");
    DirectoryRepo repo(tx, clock);
    std::map<std::int64_t, std::vector<StaleService>> by_org;
    for (auto& s : repo.stale_services(std::nullopt, clock.now(), stale_days, true)) by_org[s.organisation_id].push_back(s);
    AuthRepo auth(tx, clock);
    int sent = 0;
    for (const auto& [org, services] : by_org) {
        auto recipients = tx.query(
            "SELECT DISTINCT u.email, u.display_name, u.preferred_lang FROM memberships m "
            "JOIN users u ON u.id = m.user_id WHERE m.organisation_id = ? "
            "AND m.role = 'provider_manager' AND m.active = 1 AND u.active = 1 ORDER BY u.email",
            {org});
        if (recipients.empty()) {
            recipients = tx.query(
                "SELECT DISTINCT u.email, u.display_name, u.preferred_lang FROM organisations target "
                "JOIN organisations ca ON ca.sda_id = target.sda_id AND ca.active = 1 "
                "JOIN memberships m ON m.organisation_id = ca.id AND m.role = 'ca_admin' AND m.active = 1 "
                "JOIN users u ON u.id = m.user_id AND u.active = 1 WHERE target.id = ? ORDER BY u.email",
                {org});
        }
        const std::string link = public_base_url + "/directory/manage/organisations/" + std::to_string(org);
        for (const auto& r : recipients) {
            const Lang lang = parse_lang(r.str(2)).value_or(Lang::en);
            std::string list;
            for (const auto& s : services)
                list += "- " + (lang == Lang::fr ? s.name_fr : s.name_en) + " (" + s.waitlist_updated_at.substr(0, 10) + ")\n";
            auth.enqueue_email(r.str(0), catalogue.t(lang, "waitlist.reminder_subject"),
                               catalogue.t(lang, "waitlist.reminder_body", {r.str(1), std::to_string(stale_days), list, link}));
            ++sent;
        }
        for (const auto& s : services) repo.mark_reminded(s.id);
    }
    return sent;
}

}  // namespace arrimage::store
