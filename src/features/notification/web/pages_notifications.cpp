// The signed-in user's notifications (features/notification/store/notification_repo.hpp): the
// inbox, newest first, all or unread; opening one marks it read and follows its link (the page
// there decides and audits the access); "mark all read"; whether they also come by email. Only
// the user's own rows are ever read or changed (every query names the signed-in user).
#include "core/text.hpp"
#include "core/time.hpp"
#include "features/notification/domain/notification.hpp"
#include "features/notification/web/notification_pages.hpp"
#include "web/forms.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace notification_pages {
store::NotificationRepo notifications(Ctx& ctx) {
    return store::NotificationRepo(ctx.tx, ctx.app.clock(), ctx.app.catalogue(), ctx.app.config().public_base_url);
}

void notify(Ctx& ctx, std::vector<std::int64_t> users, const store::NewNotification& n) {
    if (ctx.user) std::erase(users, ctx.user->id);
    if (!users.empty()) notifications(ctx).notify(users, n);
}
}  // namespace notification_pages

namespace {

using notification_pages::notifications;

constexpr int page_size = 25;

json email_form(Ctx& ctx, bool wanted, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, "/notifications/email", "common.save");
    f.field({.name = "email", .label_key = "notification.email_label", .type = "checkbox", .hint_key = "notification.email_hint"},
            wanted ? "1" : "")
        .id_prefix("email-")
        .errors(errors);
    return f.build();
}

http::Response inbox_page(Ctx& ctx, d::InboxFilter filter, int page, std::vector<FieldError> email_errors, int status) {
    auto repo = notifications(ctx);
    auto rows = repo.inbox(ctx.user->id, ctx.lang, filter, page_size + 1, (page - 1) * page_size);
    const bool more = rows.size() > static_cast<std::size_t>(page_size);
    if (more) rows.pop_back();
    const int unread = repo.unread(ctx.user->id);
    json list = json::array();
    for (const auto& r : rows)
        list.push_back({{"id", r.id},
                        {"kind", ctx.t("notification.kind." + std::string(d::code(r.kind)))},
                        {"text", r.text},
                        {"at", display_minute(r.created_at)},
                        {"at_iso", r.created_at},
                        {"read", r.read},
                        {"open_label", ctx.t("notification.open", {r.reference})}});
    json filters = json::array();
    for (auto f : {d::InboxFilter::all, d::InboxFilter::unread})
        filters.push_back({{"label", ctx.t("notification.show." + std::string(d::code(f)))},
                           {"href", f == d::InboxFilter::all ? "/notifications" : "/notifications?show=unread"},
                           {"current", f == filter}});
    json model = {
        {"rows", list},
        {"has_rows", !list.empty()},
        {"has_unread", unread > 0},
        {"summary", ctx.t(unread == 0 ? "notification.summary_none" : "notification.summary", {std::to_string(unread)})},
        {"empty", ctx.t(filter == d::InboxFilter::unread ? "notification.none_unread" : "notification.none")},
        {"filters", filters},
        {"email_form",
         email_form(ctx, email_errors.empty() ? repo.wants_email(ctx.user->id) : ctx.form("email") == "1", email_errors)}};
    if (more) model["next_href"] = "/notifications?show=" + std::string(d::code(filter)) + "&page=" + std::to_string(page + 1);
    return ctx.app.page(ctx, "notification.title", "notification_inbox", model, status);
}

http::Response inbox(Ctx& ctx) {
    auto filter = d::parse_inbox_filter(trim(ctx.req.query_param("show")));
    if (!filter) return ctx.app.error_page(ctx, filter.error());
    const std::string page_in = trim(ctx.req.query_param("page"));
    int page = 1;
    if (!page_in.empty()) {
        auto p = d::parse_id(page_in);
        if (!p || *p > 10000) return ctx.app.error_page(ctx, Error::invalid_field("page", "notification.error.page"));
        page = static_cast<int>(*p);
    }
    return inbox_page(ctx, *filter, page, {}, 200);
}

// Marks it read and follows its link; a notification of someone else's is not found.
http::Response open(Ctx& ctx) {
    auto id = d::parse_id(ctx.req.params["id"]);
    auto link = id ? notifications(ctx).open(ctx.user->id, *id) : std::nullopt;
    if (!link) return ctx.app.error_page(ctx, Error::not_found());
    return ctx.app.see_other(ctx, *link);
}

http::Response mark_all_read(Ctx& ctx) {
    notifications(ctx).mark_all_read(ctx.user->id);
    return ctx.app.see_other(ctx, "/notifications", "notification.marked_all");
}

http::Response save_email(Ctx& ctx) {
    const std::string v = ctx.form("email");
    if (v != "" && v != "1")
        return inbox_page(ctx, d::InboxFilter::all, 1, {{"email", "notification.error.email_choice", {}}}, 422);
    notifications(ctx).set_wants_email(ctx.user->id, v == "1");
    return ctx.app.see_other(ctx, "/notifications", v == "1" ? "notification.email_on" : "notification.email_off");
}

}  // namespace

void register_notification_pages(WebApp& app) {
    const auto S = Access::signed_in;
    app.route("GET", "/notifications", {"notifications/inbox", S, TxMode::read, inbox});
    app.route("POST", "/notifications/read", {"notifications/read_all", S, TxMode::write, mark_all_read});
    app.route("POST", "/notifications/email", {"notifications/email", S, TxMode::write, save_email});
    app.route("POST", "/notifications/{id}/open", {"notifications/open", S, TxMode::write, open});
    // The navigation's link, with the unread count (one indexed count per page).
    app.add_layout_hook([](Ctx& ctx, json& layout) {
        const int unread = notifications(ctx).unread(ctx.user->id);
        layout["nav_notifications"] = {
            {"label", unread == 0 ? ctx.t("nav.notifications") : ctx.t("nav.notifications_unread", {std::to_string(unread)})}};
    });
}

}  // namespace arrimage::web
