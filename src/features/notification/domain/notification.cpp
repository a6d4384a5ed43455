#include "features/notification/domain/notification.hpp"

#include "domain/named.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

constexpr Named<NoticeKind> kinds[] = {{NoticeKind::assigned, "assigned"},
                                       {NoticeKind::referral_new, "referral_new"},
                                       {NoticeKind::referral_update, "referral_update"},
                                       {NoticeKind::referral_reminder, "referral_reminder"},
                                       {NoticeKind::overdue, "overdue"},
                                       {NoticeKind::family, "family"},
                                       {NoticeKind::agreement, "agreement"},
                                       {NoticeKind::governance, "governance"},
                                       {NoticeKind::complaint, "complaint"},
                                       {NoticeKind::network, "network"}};
constexpr Named<InboxFilter> filters[] = {{InboxFilter::all, "all"}, {InboxFilter::unread, "unread"}};

}  // namespace

std::string_view code(NoticeKind k) {
    return code_of(kinds, k);
}
std::optional<NoticeKind> parse_notice_kind(std::string_view s) {
    return parse_of(kinds, s);
}
const std::vector<NoticeKind>& all_notice_kinds() {
    static const std::vector<NoticeKind> all = values_of(kinds);
    return all;
}

std::string_view code(InboxFilter f) {
    return code_of(filters, f);
}
Result<InboxFilter> parse_inbox_filter(std::string_view s) {
    if (s.empty()) return InboxFilter::all;
    if (auto f = parse_of(filters, s)) return *f;
    return Error::invalid_field("show", "notification.error.filter");
}

std::string reminder_key(std::int64_t referral_id) {
    return "reminder:referral:" + std::to_string(referral_id);
}

std::string overdue_key(std::int64_t intake_id, std::string_view item, const Date& due) {
    return "overdue:intake:" + std::to_string(intake_id) + ":" + std::string(item) + ":" + due.iso();
}

bool reminder_due(const Date& received, const Date& today, int answer_days) {
    return days_between(received, today) >= answer_days;
}

}  // namespace arrimage::domain
