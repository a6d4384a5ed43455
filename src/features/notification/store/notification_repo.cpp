#include "features/notification/store/notification_repo.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/time.hpp"
#include "store/auth_repo.hpp"

namespace arrimage::store {

namespace d = domain;

NotificationRepo::NotificationRepo(Tx& tx, const Clock& clock, const Catalogue& catalogue, std::string public_base_url)
    : tx_(tx), clock_(clock), catalogue_(catalogue), base_url_(std::move(public_base_url)) {}

int NotificationRepo::notify(const std::vector<std::int64_t>& users, const NewNotification& n) {
    if (n.args_fr.size() != n.args_en.size() || n.link.empty() || n.link.front() != '/')
        throw std::logic_error("a notification needs its arguments in both languages and a link inside the application");
    std::vector<std::int64_t> once = users;
    std::sort(once.begin(), once.end());
    once.erase(std::unique(once.begin(), once.end()), once.end());
    const std::string text_fr = catalogue_.t(Lang::fr, n.text_key, n.args_fr);
    const std::string text_en = catalogue_.t(Lang::en, n.text_key, n.args_en);
    const std::string now = format_iso(clock_.now());
    const Value dedupe = n.dedupe_key.empty() ? Value(Null{}) : Value(n.dedupe_key);
    AuthRepo auth(tx_, clock_);
    int written = 0;
    for (const auto user_id : once) {
        // An API client's service account (features/fhir) is not a person: nobody reads its inbox.
        auto u = tx_.query_one(
            "SELECT email, display_name, preferred_lang, email_notifications FROM users WHERE id = ? AND active = 1 "
            "AND id NOT IN (SELECT user_id FROM api_clients)",
            {user_id});
        if (!u) continue;
        if (tx_.exec("INSERT INTO notifications (user_id, kind, reference, text_fr, text_en, link, dedupe_key, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, dedupe_key) DO NOTHING",
                     {user_id, std::string(d::code(n.kind)), n.reference, text_fr, text_en, n.link, dedupe, now}) == 0)
            continue;
        ++written;
        if (!n.email || u->i64(3) == 0) continue;
        const Lang lang = parse_lang(u->str(2)).value_or(Lang::en);
        const std::string kind = catalogue_.t(lang, "notification.kind." + std::string(d::code(n.kind)));
        auth.enqueue_email(
            u->str(0), catalogue_.t(lang, "notification.email.subject", {kind, n.reference}),
            catalogue_.t(lang, "notification.email.body",
                         {u->str(1), lang == Lang::fr ? text_fr : text_en, base_url_ + n.link, base_url_ + "/notifications"}));
    }
    return written;
}

std::vector<std::int64_t> NotificationRepo::managers_of(std::int64_t organisation_id) {
    std::vector<std::int64_t> out;
    for (const auto& r :
         tx_.query("SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id AND u.active = 1 "
                   "WHERE m.organisation_id = ? AND m.active = 1 AND m.role IN ('provider_manager', 'ca_admin') "
                   "AND m.user_id NOT IN (SELECT user_id FROM api_clients) ORDER BY m.user_id",
                   {organisation_id}))
        out.push_back(r.i64(0));
    return out;
}

std::vector<std::int64_t> NotificationRepo::privacy_officers_of(std::int64_t organisation_id) {
    std::vector<std::int64_t> out;
    for (const auto& r :
         tx_.query("SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id AND u.active = 1 "
                   "WHERE m.organisation_id = ? AND m.active = 1 AND m.role = 'privacy_officer' "
                   "AND m.user_id NOT IN (SELECT user_id FROM api_clients) ORDER BY m.user_id",
                   {organisation_id}))
        out.push_back(r.i64(0));
    return out;
}

std::vector<NotificationRow> NotificationRepo::inbox(std::int64_t user_id, Lang lang, d::InboxFilter filter, int limit,
                                                     int offset) {
    std::vector<NotificationRow> out;
    const std::string sql = std::string("SELECT id, kind, reference, ") + (lang == Lang::fr ? "text_fr" : "text_en") +
                            ", link, created_at, read_at FROM notifications WHERE user_id = ? " +
                            (filter == d::InboxFilter::unread ? "AND read_at IS NULL " : "") +
                            "ORDER BY id DESC LIMIT ? OFFSET ?";
    for (const auto& r : tx_.query(sql, {user_id, std::int64_t{limit}, std::int64_t{offset}})) {
        NotificationRow row;
        row.id = r.i64(0);
        row.kind = d::parse_notice_kind(r.str(1)).value_or(d::NoticeKind::referral_update);
        row.reference = r.str(2);
        row.text = r.str(3);
        row.link = r.str(4);
        row.created_at = r.str(5);
        row.read = r.opt_str(6).has_value();
        out.push_back(std::move(row));
    }
    return out;
}

int NotificationRepo::unread(std::int64_t user_id) {
    return static_cast<int>(
        tx_.query_one("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {user_id})->i64(0));
}

std::optional<std::string> NotificationRepo::open(std::int64_t user_id, std::int64_t id) {
    auto r = tx_.query_one("SELECT link FROM notifications WHERE id = ? AND user_id = ?", {id, user_id});
    if (!r) return std::nullopt;
    tx_.exec("UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL", {format_iso(clock_.now()), id});
    return r->str(0);
}

int NotificationRepo::mark_all_read(std::int64_t user_id) {
    return static_cast<int>(tx_.exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                                     {format_iso(clock_.now()), user_id}));
}

bool NotificationRepo::wants_email(std::int64_t user_id) {
    auto r = tx_.query_one("SELECT email_notifications FROM users WHERE id = ?", {user_id});
    return r && r->i64(0) != 0;
}

void NotificationRepo::set_wants_email(std::int64_t user_id, bool wanted) {
    tx_.exec("UPDATE users SET email_notifications = ?, updated_at = ? WHERE id = ?",
             {std::int64_t{wanted ? 1 : 0}, format_iso(clock_.now()), user_id});
}

}  // namespace arrimage::store
