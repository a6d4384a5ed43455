#pragma once
// Each user's notifications (docs/NOTIFICATIONS.md): written in the transaction of the event
// that raised them (an assignment, a referral and its answers) or of the reminder job, read by
// their recipient only. A notification names no child (domain/notification.hpp): it is not
// personal information about the child, so it is not decided by the policy; the page its link
// opens is, as for anyone.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "features/notification/domain/notification.hpp"
#include "store/db.hpp"

namespace arrimage::store {

// What to tell: the sentence is catalogue `text_key` with `args_fr` in French and `args_en` in
// English (the same number of each), written in both languages now.
struct NewNotification {
    domain::NoticeKind kind = domain::NoticeKind::referral_update;
    std::string reference;  // the referral's or the file's public reference
    std::string link;       // a path inside the application: "/referrals/12"
    std::string text_key;
    std::vector<std::string> args_fr, args_en;
    std::string dedupe_key;  // empty: none (domain::reminder_key, overdue_key)
    bool email = true;       // also by email to the recipients who want their notifications so
};

struct NotificationRow {
    std::int64_t id = 0;
    domain::NoticeKind kind = domain::NoticeKind::referral_update;
    std::string reference, text, link, created_at;
    bool read = false;
};

class NotificationRepo {
  public:
    // `public_base_url` makes the emails' links absolute.
    NotificationRepo(Tx& tx, const Clock& clock, const Catalogue& catalogue, std::string public_base_url);

    // One notification to each recipient (each once; inactive users are skipped, as is a
    // recipient who already has one of the same dedupe key), and its email to those who want
    // them, in their language, through the outbox. Returns how many were written.
    int notify(const std::vector<std::int64_t>& users, const NewNotification& n);

    // Who hears of an organisation's referrals: its provider managers and coordinating-agency
    // administrators (active).
    std::vector<std::int64_t> managers_of(std::int64_t organisation_id);
    // Who keeps an organisation's privacy registers: its privacy officers (active).
    std::vector<std::int64_t> privacy_officers_of(std::int64_t organisation_id);

    // The user's notifications, newest first, in `lang`.
    std::vector<NotificationRow> inbox(std::int64_t user_id, Lang lang, domain::InboxFilter filter, int limit, int offset);
    int unread(std::int64_t user_id);
    // Marks it read and returns its link; nullopt when the user has no such notification.
    std::optional<std::string> open(std::int64_t user_id, std::int64_t id);
    // Returns how many were marked read.
    int mark_all_read(std::int64_t user_id);

    bool wants_email(std::int64_t user_id);
    void set_wants_email(std::int64_t user_id, bool wanted);

  private:
    Tx& tx_;
    const Clock& clock_;
    const Catalogue& catalogue_;
    std::string base_url_;
};

}  // namespace arrimage::store
