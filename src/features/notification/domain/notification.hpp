#pragma once
// Notifications (docs/NOTIFICATIONS.md): what a staff member is told in the application's
// inbox, and by email through the outbox when they want it, in their language. A notification
// names no child: a reference, organisations, a status or a due item, and a link into the
// application, where the page decides and audits the access as for anyone. Pure: no I/O.
//
// Kinds (catalogue notification.kind.<code>):
//   assigned           a file was assigned to you (or reassigned to you)
//   referral_new       a referral arrived at your organisation
//   referral_update    a referral your side follows moved (answered, waitlisted, cancelled...)
//   referral_reminder  a referral has waited for an answer past the area's referral_answer_days
//   overdue            an item of a file passed its due date (first contact, intake decision,
//                      first plan)
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace arrimage::domain {

// family: something the family did on a file (its consent changed from its own pages);
// agreement: a network agreement's review or expiry coming (features/agreements);
// network: a community plan's review or yearly progress report coming (features/network).
enum class NoticeKind : std::uint8_t {
    assigned,
    referral_new,
    referral_update,
    referral_reminder,
    overdue,
    family,
    agreement,
    governance,
    complaint,
    network
};
std::string_view code(NoticeKind k);
std::optional<NoticeKind> parse_notice_kind(std::string_view s);
const std::vector<NoticeKind>& all_notice_kinds();

// The inbox's filter (query `show`): every notification, or the unread ones only.
enum class InboxFilter : std::uint8_t { all, unread };
std::string_view code(InboxFilter f);
// Empty is `all`; anything else than the codes is a field error (field "show").
Result<InboxFilter> parse_inbox_filter(std::string_view s);

// The notification of a job's occasion is written once per recipient: these keys name the
// occasion (a second run of the job finds it and adds nothing).
//   the reminder of an unanswered referral: once per referral and recipient;
//   an overdue item: once per file, item and due date (a new due date is a new occasion).
std::string reminder_key(std::int64_t referral_id);
std::string overdue_key(std::int64_t intake_id, std::string_view item, const Date& due);

// Whether a referral received at `received` with no answer yet is due a reminder on `today`,
// after `answer_days` days.
bool reminder_due(const Date& received, const Date& today, int answer_days);

}  // namespace arrimage::domain
