// What a family raises on its file (store::FamilyRequestRepo, docs/FAMILY.md "Concerns,
// complaints and requests").
//
// Family: /family/children/{id}/requests, the form (a concern or a complaint to the coordinator or
// the coordinating agency; a request for access to or correction of the records, which goes to
// the privacy office's register with its 30-day clock) and what this account raised on the file,
// with where each stands. Whoever should hear of it is told in the same transaction (a
// notification names no child: the file's public reference and a link to the staff page). A
// staff account is answered 404.
//
// Staff: /children/{id}/concerns, the file's concerns and complaints for its assigned coordinator
// (those addressed to them) and its coordinating agency (all), each acknowledged, then closed with
// a response the family reads.
#include "core/time.hpp"
#include "features/family/domain/family_requests.hpp"
#include "features/family/store/family_repo.hpp"
#include "features/family/store/family_request_repo.hpp"
#include "features/family/web/family_pages.hpp"
#include "features/notification/web/notification_pages.hpp"
#include "features/plan/web/plan_common.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/people_common.hpp"
#include "web/view.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

using family_pages::family_href;
using people_pages::file_href;
using people_pages::refused;
using plan_pages::file_id;
using plan_pages::not_allowed;

std::string requests_href(std::int64_t person_id) {
    return family_href(person_id) + "/requests";
}
std::string concerns_href(std::int64_t person_id) {
    return file_href(person_id) + "/concerns";
}

// ---------------------------------------------------------------- family: its requests

struct RequestForms {
    d::FamilyRequestForm posted;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

json request_form(Ctx& ctx, const store::FamilyRequests& r, const RequestForms& forms) {
    std::vector<d::FamilyRequestKind> kinds;
    for (auto k : d::all_family_request_kinds()) {
        const bool records = d::privacy_request_kind(k).has_value();
        if (records ? r.may_request_records : r.may_raise_concerns) kinds.push_back(k);
    }
    FormBuilder f(ctx, requests_href(r.person_id), "family.requests.submit");
    f.field({.name = "kind",
             .label_key = "family.requests.kind",
             .type = "radios",
             .required = true,
             .options = options_of(ctx, kinds, "family.request_kind.")},
            forms.posted.kind);
    if (r.may_raise_concerns)
        f.field({.name = "addressed_to",
                 .label_key = "family.requests.addressed_to",
                 .type = "radios",
                 .hint_key = "family.requests.addressed_to_hint",
                 .options = options_of(ctx, d::all_concern_addressees(), "family.addressed_to.")},
                forms.posted.addressed_to);
    f.field({.name = "description",
             .label_key = "family.requests.description",
             .type = "textarea",
             .required = true,
             .hint_key = "family.requests.description_hint"},
            forms.posted.description);
    f.errors(forms.errors);
    return f.build();
}

http::Response requests_page(Ctx& ctx, std::int64_t person_id, const RequestForms& forms, int status) {
    auto r = store::FamilyRequestRepo(*ctx.access).mine(person_id);
    if (!r) return refused(ctx, r.error());
    if (status >= 400) ctx.commit_anyway = true;  // the page was shown: its read stays on record
    json model = {{"back_href", family_href(person_id)}};
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    json concerns = json::array();
    for (const auto& c : r->concerns)
        concerns.push_back(present({{"kind", ctx.t("family.request_kind." + c.kind)},
                                    {"to", ctx.t("family.addressed_to." + c.addressed_to)},
                                    {"sent", display_minute(c.created_at)},
                                    {"status", ctx.t("family.concern_status." + c.status)},
                                    {"description", c.description},
                                    {"response", c.response}}));
    model["concerns"] = concerns;
    json records = json::array();
    for (const auto& q : r->records_requests) {
        const bool open = q.status == "open" || q.status == "extended";
        records.push_back(present({{"kind", ctx.t("privacy_office.kind." + q.kind)},
                                   {"received", q.received.iso()},
                                   {"status", ctx.t("privacy_office.status." + q.status)},
                                   {"due", open ? ctx.t("family.requests.due", {q.due.iso()}) : std::string()},
                                   {"closed", q.closed_on ? q.closed_on->iso() : std::string()},
                                   {"description", q.description}}));
    }
    model["records"] = records;
    if (r->may_raise_concerns || r->may_request_records) model["form"] = request_form(ctx, *r, forms);
    if (!r->may_request_records) model["records_refused"] = ctx.t("family.requests.records_refused", {ctx.t(r->records_refusal)});
    return ctx.app.page(ctx, "family.requests.title", "family_requests", model, status);
}

http::Response show_requests(Ctx& ctx) {
    auto id = ctx.family_file();
    if (!id) return not_allowed(ctx);
    return requests_page(ctx, *id, {}, 200);
}

// Tells whoever should hear of what the family raised (domain::audience_of), in this transaction.
void tell(Ctx& ctx, std::int64_t person_id, const d::FamilyRequest& req, const store::RaisedRequest& done) {
    auto c = store::FamilyRepo(*ctx.access).contacts(person_id);
    if (c.reference.empty()) return;
    auto notes = notification_pages::notifications(ctx);
    std::vector<std::int64_t> users;
    switch (d::audience_of(req, !c.coordinators.empty())) {
        case d::Audience::assigned_coordinator:
            users = c.coordinators;
            break;
        case d::Audience::agency_managers:
            users = notes.managers_of(c.agency_id);
            break;
        case d::Audience::privacy_officers:
            users = notes.privacy_officers_of(c.agency_id);
            break;
    }
    // An agency without a privacy officer yet: its managers hear of it, with a link to the file
    // (the register is the officer's).
    std::string register_link = "/privacy/requests/" + std::to_string(done.id);
    if (users.empty() && done.records_request) {
        users = notes.managers_of(c.agency_id);
        register_link = file_href(person_id);
    }
    const auto& cat = ctx.app.catalogue();
    if (done.records_request) {
        const std::string key = "family.notice." + std::string(d::code(req.kind));
        notification_pages::notify(ctx, users,
                                   {d::NoticeKind::family,
                                    c.reference,
                                    register_link,
                                    key,
                                    {c.reference, done.due.iso()},
                                    {c.reference, done.due.iso()}});
        return;
    }
    const std::string to = "family.notice.to." + std::string(d::code(*req.addressed_to));
    notification_pages::notify(ctx, users,
                               {d::NoticeKind::family,
                                c.reference,
                                concerns_href(person_id),
                                "family.notice." + std::string(d::code(req.kind)),
                                {c.reference, cat.t(Lang::fr, to)},
                                {c.reference, cat.t(Lang::en, to)}});
}

http::Response post_request(Ctx& ctx) {
    auto id = ctx.family_file();
    if (!id) return not_allowed(ctx);
    RequestForms forms;
    forms.posted = {ctx.form("kind"), ctx.form("addressed_to"), ctx.form("description")};
    d::FamilyRequest req;
    forms.errors = d::validate(forms.posted, req);
    if (!forms.errors.empty()) return requests_page(ctx, *id, forms, 422);
    auto done = store::FamilyRequestRepo(*ctx.access).raise(*id, req);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return requests_page(ctx, *id, forms, status); });
    tell(ctx, *id, req, *done);
    return ctx.app.see_other(ctx, requests_href(*id),
                             done->records_request ? "family.requests.sent_records" : "family.requests.sent_concern");
}

// ---------------------------------------------------------------- staff: the file's concerns

struct AnswerForms {
    std::int64_t concern = 0;  // the concern whose form was posted
    d::ConcernEvent event = d::ConcernEvent::acknowledge;
    std::string text;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

json answer_form(Ctx& ctx, std::int64_t person_id, const store::FamilyConcernRow& c, d::ConcernEvent event,
                 const AnswerForms& forms) {
    const std::string code(d::code(event));
    const bool posted = forms.concern == c.id && forms.event == event;
    const bool closing = event == d::ConcernEvent::close;
    FormBuilder f(ctx, concerns_href(person_id) + "/" + std::to_string(c.id) + "/" + code,
                  closing ? "family.concerns.close_submit" : "family.concerns.acknowledge_submit");
    f.id_prefix("c" + std::to_string(c.id) + "-" + code + "-");
    f.field({.name = "response",
             .label_key = closing ? "family.concerns.response" : "family.concerns.note",
             .type = "textarea",
             .required = closing,
             .hint_key = closing ? "family.concerns.response_hint" : "family.concerns.note_hint"},
            posted ? forms.text : std::string());
    if (posted) f.errors(forms.errors);
    return f.build();
}

http::Response concerns_page(Ctx& ctx, std::int64_t person_id, const AnswerForms& forms, int status) {
    auto r = store::FamilyRequestRepo(*ctx.access).for_file(person_id);
    if (!r) return refused(ctx, r.error());
    if (status >= 400) ctx.commit_anyway = true;  // the page was shown: its read stays on record
    json model = {{"heading", ctx.t("family.concerns.heading", {std::to_string(person_id)})},
                  {"back_href", file_href(person_id)}};
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    json concerns = json::array();
    for (const auto& c : r->concerns) {
        const std::string who = c.relation == "self" || c.relationship.empty() ? ctx.t("family.relation." + c.relation)
                                                                               : ctx.t("people.relationship." + c.relationship);
        json row = present({{"anchor", "concern-" + std::to_string(c.id)},
                            {"kind", ctx.t("family.request_kind." + c.kind)},
                            {"to", ctx.t("family.addressed_to." + c.addressed_to)},
                            {"raised", ctx.t("family.concerns.raised_by", {c.raised_by, who, display_minute(c.created_at)})},
                            {"status", ctx.t("family.concern_status." + c.status)},
                            {"description", c.description},
                            {"response", c.response}});
        if (!c.acknowledged_at.empty())
            row["acknowledged"] = ctx.t("family.concerns.acknowledged", {c.acknowledged_by, display_minute(c.acknowledged_at)});
        if (!c.closed_at.empty()) row["closed"] = ctx.t("family.concerns.closed", {c.closed_by, display_minute(c.closed_at)});
        json moves = json::array();
        for (auto e : c.available) moves.push_back(answer_form(ctx, person_id, c, e, forms));
        row["forms"] = moves;
        concerns.push_back(row);
    }
    model["concerns"] = concerns;
    return ctx.app.page(ctx, "family.concerns.title", "family_concerns", model, status);
}

http::Response show_concerns(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    return concerns_page(ctx, *id, {}, 200);
}

http::Response answer(Ctx& ctx, d::ConcernEvent event) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    auto item = d::parse_id(ctx.req.params["item"]);
    if (!item) return ctx.app.error_page(ctx, Error::not_found());
    AnswerForms forms;
    forms.concern = *item;
    forms.event = event;
    forms.text = ctx.form("response");
    auto done = store::FamilyRequestRepo(*ctx.access).answer(*id, *item, event, forms.text);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return concerns_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, concerns_href(*id),
                             event == d::ConcernEvent::close ? "family.concerns.done_close" : "family.concerns.done_acknowledge");
}

http::Response acknowledge_concern(Ctx& ctx) {
    return answer(ctx, d::ConcernEvent::acknowledge);
}
http::Response close_concern(Ctx& ctx) {
    return answer(ctx, d::ConcernEvent::close);
}

}  // namespace

void register_family_request_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/family/children/{id}/requests", {"family/requests", S, R, show_requests});
    app.route("POST", "/family/children/{id}/requests", {"family/request", S, W, post_request});
    app.route("GET", "/children/{id}/concerns", {"family/concerns", S, R, show_concerns});
    app.route("POST", "/children/{id}/concerns/{item}/acknowledge", {"family/concern_acknowledge", S, W, acknowledge_concern});
    app.route("POST", "/children/{id}/concerns/{item}/close", {"family/concern_close", S, W, close_concern});
}

}  // namespace arrimage::web
