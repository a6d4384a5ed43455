// Referrals (features/referral/store/referral_repo.hpp): the public bilingual referral form, routed by the area's
// referral pathways, and the receiving organisation's inbox with the closed loop (accept,
// complete, decline with a warm referral along another pathway). Staff follow what they sent.
// Pages that show a referral read in a read transaction (the guard's rows go through the group
// commit); pages that change one are write transactions, and a refusal is committed
// (ctx.commit_anyway) so that its audit row is kept. Nothing here logs what a
// referral says; the pipeline logs the route name only.
#include <algorithm>
#include <cstring>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/notification/web/notification_pages.hpp"
#include "features/referral/domain/referral.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "features/referral/web/referral_pages.hpp"
#include "web/app.hpp"
#include "web/directory_pages.hpp"
#include "web/forms.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

using directory::need_text;
using directory::pick;
using directory::target_text;
using people_pages::acting_grant;
using people_pages::can_register;
using people_pages::refused;

constexpr int page_size = 50;

std::optional<d::Grant> grant_of(const Ctx& ctx) {
    return ctx.signed_in() ? acting_grant(ctx) : std::nullopt;
}

// Refers as staff (their account is the referrer): a signed-in user with a role near children's
// files. Anyone else, signed in or not, uses the public form.
bool as_staff(const Ctx& ctx) {
    return grant_of(ctx).has_value();
}

// Staff work referrals under the request's access context; anyone else uses the public form
// as nobody.
store::ReferralRepo referrals(Ctx& ctx) {
    return store::ReferralRepo(grant_of(ctx) ? *ctx.access : *ctx.public_access);
}

std::uint64_t random_bits(Ctx& ctx) {
    unsigned char b[8];
    ctx.app.random().fill(b, sizeof b);
    std::uint64_t v = 0;
    std::memcpy(&v, b, sizeof v);
    return v;
}

// The staff referrer as the referral records them.
store::Referrer referrer_of(Ctx& ctx) {
    store::Referrer r;
    if (!as_staff(ctx)) return r;
    r.name = ctx.user->display_name;
    r.email = ctx.user->email;
    if (auto g = grant_of(ctx))
        if (auto o = ctx.identity().find_organisation(g->organisation_id))
            r.organisation_name = pick(ctx, o->name_fr, o->name_en);
    return r;
}

std::string label(const Ctx& ctx, const std::string& prefix, std::string_view code) {
    return ctx.t(prefix + std::string(code));
}

std::string pathway_label(const Ctx& ctx, const store::PathwayRow& p) {
    std::string out =
        ctx.t("referral.pathway_option", {need_text(ctx, p), label(ctx, "pathway.mechanism.", p.mechanism), target_text(ctx, p)});
    const auto& notes = pick(ctx, p.notes_fr, p.notes_en);
    if (!notes.empty()) out += ". " + notes;
    return out;
}

std::vector<Option> pathway_options(const Ctx& ctx, const std::vector<store::PathwayRow>& pathways) {
    std::vector<Option> out;
    for (const auto& p : pathways) out.push_back({std::to_string(p.id), pathway_label(ctx, p)});
    return out;
}

// ---------------------------------------------------------------- emails

// Written to the outbox in the request's transaction. None names the child: a reference,
// organisations, a status and a link that needs signing in.

// Where a notification about referral `n` leads: the referral itself for whoever may open it
// (the receiver, and the file's team for one from a file), the referrals they sent otherwise.
std::string referral_link(const store::ReferralNotice& n, bool receiver) {
    return receiver || n.outbound ? "/referrals/" + std::to_string(n.id) : std::string("/referrals/sent");
}

// To the receiving service's (else organisation's) address, in both languages, and to the
// organisation's managers' notifications (by email too when there is no such address and they
// want it).
void notify_receiver(Ctx& ctx, std::int64_t id, const std::optional<store::ReferralNotice>& n) {
    if (!n) return;
    const auto& cat = ctx.app.catalogue();
    notification_pages::notify(ctx, notification_pages::notifications(ctx).managers_of(n->organisation_id),
                               {d::NoticeKind::referral_new,
                                n->reference,
                                referral_link(*n, true),
                                "notification.text.referral_new",
                                {n->reference, n->org_name_fr},
                                {n->reference, n->org_name_en},
                                "",
                                n->intake_email.empty()});
    if (n->intake_email.empty()) return;
    const std::string link = ctx.app.config().public_base_url + "/referrals/" + std::to_string(id);
    ctx.auth().enqueue_email(n->intake_email,
                             cat.t(Lang::fr, "email.referral.new.subject", {n->reference}) + " / " +
                                 cat.t(Lang::en, "email.referral.new.subject", {n->reference}),
                             cat.t(Lang::fr, "email.referral.new.body", {n->reference, link}) + "\n\n---\n\n" +
                                 cat.t(Lang::en, "email.referral.new.body", {n->reference, link}));
}

// The sender withdrew it: the receiving organisation's managers are told.
void notify_receiver_cancelled(Ctx& ctx, const std::optional<store::ReferralNotice>& n) {
    if (!n) return;
    notification_pages::notify(ctx, notification_pages::notifications(ctx).managers_of(n->organisation_id),
                               {d::NoticeKind::referral_update,
                                n->reference,
                                referral_link(*n, true),
                                "notification.text.referral_cancelled",
                                {n->reference, n->org_name_fr},
                                {n->reference, n->org_name_en}});
}

// Its status, with the reason of a decline and where it was sent on, in `l`.
std::string status_words(const Catalogue& cat, Lang l, const store::ReferralNotice& n) {
    std::string words = cat.t(l, "referral.status." + n.status);
    if (!n.decline_reason.empty()) words += " (" + cat.t(l, "referral.decline_reason." + n.decline_reason) + ")";
    return words;
}

// To whoever follows the referral, in their language: a receipt, or its new status. The
// sending side's users (the signed-in referrer, the file's coordinator) through their
// notifications; a referrer who did not sign in, by email.
void notify_follower(Ctx& ctx, const std::optional<store::ReferralNotice>& n, bool receipt) {
    if (!n) return;
    const auto& cat = ctx.app.catalogue();
    if (!receipt)
        notification_pages::notify(ctx, store::sending_side_users(ctx.tx, n->id),
                                   {d::NoticeKind::referral_update,
                                    n->reference,
                                    referral_link(*n, false),
                                    "notification.text.referral_update",
                                    {n->reference, n->org_name_fr, status_words(cat, Lang::fr, *n)},
                                    {n->reference, n->org_name_en, status_words(cat, Lang::en, *n)}});
    if (n->follower_email.empty() || (n->follower_is_user && !receipt)) return;
    const Lang l = n->follower_lang;
    const std::string& org = l == Lang::fr ? n->org_name_fr : n->org_name_en;
    if (receipt) {
        ctx.auth().enqueue_email(n->follower_email, cat.t(l, "email.referral.receipt.subject", {n->reference}),
                                 cat.t(l, "email.referral.receipt.body", {n->reference, org}));
        return;
    }
    const std::string status = cat.t(l, "referral.status." + n->status);
    std::string more;
    if (!n->decline_reason.empty())
        more += cat.t(l, "email.referral.reason", {cat.t(l, "referral.decline_reason." + n->decline_reason)});
    if (n->warm_org_fr) more += cat.t(l, "email.referral.sent_on", {l == Lang::fr ? *n->warm_org_fr : *n->warm_org_en});
    ctx.auth().enqueue_email(n->follower_email, cat.t(l, "email.referral.status.subject", {n->reference, status}),
                             cat.t(l, "email.referral.status.body", {n->reference, org, status, more}));
}

// ---------------------------------------------------------------- the referral form

d::ReferralForm form_input(const Ctx& ctx) {
    d::ReferralForm f;
    f.pathway_id = ctx.form("pathway_id");
    f.source = ctx.form("source");
    f.referrer_name = ctx.form("referrer_name");
    f.referrer_organisation = ctx.form("referrer_organisation");
    f.referrer_phone = ctx.form("referrer_phone");
    f.referrer_email = ctx.form("referrer_email");
    f.given_name = ctx.form("given_name");
    f.family_name = ctx.form("family_name");
    f.date_of_birth = ctx.form("date_of_birth");
    f.official_language = ctx.form("official_language");
    f.preferred_language = ctx.form("preferred_language");
    f.contact_given_name = ctx.form("contact_given_name");
    f.contact_family_name = ctx.form("contact_family_name");
    f.contact_relationship = ctx.form("contact_relationship");
    f.contact_phone = ctx.form("contact_phone");
    f.contact_email = ctx.form("contact_email");
    f.needs = ctx.form("needs");
    f.consent_given_by = ctx.form("consent_given_by");
    f.consent_method = ctx.form("consent_method");
    f.consent = ctx.form("consent");
    f.signed_in = as_staff(ctx);
    return f;
}

// The area whose pathways the form offers: the one asked for, else the signed-in user's, else
// the first active one.
std::optional<store::SdaRow> chosen_area(Ctx& ctx, const std::vector<store::SdaRow>& areas, std::string_view asked) {
    std::optional<std::int64_t> id = d::parse_id(asked);
    if (!id)
        if (auto g = grant_of(ctx)) id = g->sda_id;
    for (const auto& a : areas)
        if (id && a.id == *id) return a;
    if (areas.empty()) return std::nullopt;
    return areas.front();
}

std::vector<store::PathwayRow> area_pathways(Ctx& ctx, std::int64_t sda_id) {
    std::vector<store::PathwayRow> out;
    for (auto& p : directory::repo(ctx).list_pathways(std::vector<std::int64_t>{sda_id}, false))
        if (p.target_active) out.push_back(std::move(p));
    return out;
}

http::Response form_page(Ctx& ctx, std::string_view area_asked, const d::ReferralForm& v, const std::vector<FieldError>& errors,
                         int status) {
    const auto areas = ctx.identity().list_sdas(false);
    const auto area = chosen_area(ctx, areas, area_asked);
    json model = {{"heading", ctx.t("referral.title_new")}};
    if (areas.size() > 1) {
        json list = json::array();
        for (const auto& a : areas)
            list.push_back({{"value", std::to_string(a.id)},
                            {"label", pick(ctx, a.name_fr, a.name_en)},
                            {"selected", area && a.id == area->id}});
        model["areas"] = list;
        model["has_areas"] = true;
    }
    const auto pathways = area ? area_pathways(ctx, area->id) : std::vector<store::PathwayRow>{};
    if (pathways.empty()) {
        model["no_pathways"] = true;
        return ctx.app.page(ctx, "referral.title_new", "referral_form", model, status);
    }
    const bool staff = as_staff(ctx);
    FormBuilder f(ctx, "/refer?area=" + std::to_string(area->id), "referral.submit");
    f.field({.name = "pathway_id",
             .label_key = "referral.pathway",
             .type = "radios",
             .required = true,
             .hint_key = "referral.pathway_hint",
             .options = pathway_options(ctx, pathways)},
            v.pathway_id);
    if (!staff) {
        std::vector<Option> sources;
        for (auto s : {d::ReferralSource::youth, d::ReferralSource::family, d::ReferralSource::professional})
            sources.push_back({std::string(d::code(s)), label(ctx, "referral.source.", d::code(s))});
        f.field({.name = "source", .label_key = "referral.source", .type = "radios", .required = true, .options = sources},
                v.source)
            .field({.name = "referrer_name",
                    .label_key = "referral.referrer_name",
                    .hint_key = "referral.referrer_hint",
                    .autocomplete = "name"},
                   v.referrer_name)
            .field(
                {.name = "referrer_organisation", .label_key = "referral.referrer_organisation", .autocomplete = "organization"},
                v.referrer_organisation)
            .field({.name = "referrer_phone", .label_key = "referral.referrer_phone", .type = "tel", .autocomplete = "tel"},
                   v.referrer_phone)
            .field({.name = "referrer_email", .label_key = "referral.referrer_email", .type = "email", .autocomplete = "email"},
                   v.referrer_email);
    }
    f.field({.name = "given_name", .label_key = "referral.given_name", .required = true, .autocomplete = "off"}, v.given_name)
        .field({.name = "family_name", .label_key = "referral.family_name", .required = true, .autocomplete = "off"},
               v.family_name)
        .field({.name = "date_of_birth",
                .label_key = "referral.date_of_birth",
                .required = true,
                .hint_key = "people.date_hint",
                .inputmode = "numeric"},
               v.date_of_birth)
        .field({.name = "official_language",
                .label_key = "referral.official_language",
                .type = "radios",
                .required = true,
                .options = {{"fr", ctx.t("people.official_language.fr")}, {"en", ctx.t("people.official_language.en")}}},
               v.official_language)
        .field({.name = "preferred_language", .label_key = "referral.preferred_language"}, v.preferred_language)
        .field({.name = "contact_given_name",
                .label_key = "referral.contact_given_name",
                .required = true,
                .hint_key = "referral.contact_hint"},
               v.contact_given_name)
        .field({.name = "contact_family_name", .label_key = "referral.contact_family_name", .required = true},
               v.contact_family_name)
        .field({.name = "contact_relationship",
                .label_key = "referral.contact_relationship",
                .type = "select",
                .required = true,
                .options = options_of(ctx, d::all_family_relationships(), "people.relationship.")},
               v.contact_relationship)
        .field({.name = "contact_phone", .label_key = "referral.contact_phone", .type = "tel", .hint_key = "org.phone_hint"},
               v.contact_phone)
        .field({.name = "contact_email", .label_key = "referral.contact_email", .type = "email"}, v.contact_email)
        .field({.name = "needs",
                .label_key = "referral.needs",
                .type = "textarea",
                .required = true,
                .hint_key = "referral.needs_hint"},
               v.needs)
        .field({.name = "consent_given_by",
                .label_key = "referral.consent_given_by",
                .type = "radios",
                .required = true,
                .options = options_of(ctx, std::vector{d::GivenBy::child_youth, d::GivenBy::substitute_decision_maker},
                                      "privacy.given_by.")},
               v.consent_given_by);
    if (staff)
        f.field({.name = "consent_method",
                 .label_key = "referral.consent_method",
                 .type = "radios",
                 .required = true,
                 .options = options_of(
                     ctx, std::vector{d::ConsentMethod::written, d::ConsentMethod::verbal, d::ConsentMethod::electronic},
                     "privacy.method.")},
                v.consent_method);
    f.field({.name = "consent", .label_key = "referral.consent", .type = "checkbox", .required = true}, v.consent).errors(errors);
    model["form"] = f.build();
    return ctx.app.page(ctx, "referral.title_new", "referral_form", model, status);
}

http::Response new_referral(Ctx& ctx) {
    return form_page(ctx, ctx.req.query_param("area"), {}, {}, 200);
}

http::Response submit(Ctx& ctx) {
    const auto in = form_input(ctx);
    d::Referral r;
    auto errors = d::validate(in, date_of(ctx.app.clock().now()), r);
    const std::string area = ctx.req.query_param("area");
    if (!errors.empty()) return form_page(ctx, area, in, errors, 422);
    auto repo = referrals(ctx);
    // The public form is open to anyone: a flood from one address stops after a few referrals.
    const auto& cfg = ctx.app.config();
    if (!as_staff(ctx)) {
        const std::string address = ctx.app.pseudonym("referral-form", ctx.req.remote_addr);
        const auto since = ctx.app.clock().now() - cfg.throttle_window;
        if (repo.public_sends(address, since) >= cfg.max_public_referrals_per_address)
            return form_page(ctx, area, in, {{"", "referral.error.throttled", {std::to_string(cfg.throttle_window.count())}}},
                             429);
        repo.record_public_send(address, since);
    }
    auto made = repo.submit(r, referrer_of(ctx), random_bits(ctx));
    if (!made) return form_page(ctx, area, in, made.error().fields, made.error().code == Errc::Invalid ? 422 : 409);
    const auto notice = repo.notice(made->id);
    notify_receiver(ctx, made->id, notice);
    notify_follower(ctx, notice, true);
    std::string receiver = pick(ctx, made->org_name_fr, made->org_name_en);
    const auto& service = pick(ctx, made->service_name_fr, made->service_name_en);
    if (!service.empty()) receiver = service + " — " + receiver;
    json model = {{"reference_line", ctx.t("referral.sent_reference", {made->reference})},
                  {"receiver_line", ctx.t("referral.sent_receiver", {receiver})},
                  {"signed_in", as_staff(ctx)}};
    return ctx.app.page(ctx, "referral.sent_title", "referral_sent", model);
}

// ---------------------------------------------------------------- inbox and sent

http::Response inbox(Ctx& ctx) {
    if (!grant_of(ctx)) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::referral);
    const std::string status_in = trim(ctx.req.query_param("status"));
    std::optional<d::ReferralStatus> status;
    if (!status_in.empty()) {
        status = d::parse_referral_status(status_in);
        if (!status) return ctx.app.error_page(ctx, Error::invalid_field("status", "referral.error.status_filter"));
    }
    int page = 1;
    if (auto p = d::parse_id(ctx.req.query_param("page")); p && *p < 10000) page = static_cast<int>(*p);
    const std::string q = trim(ctx.req.query_param("q"));
    auto repo = referrals(ctx);
    auto rows = repo.inbox(status, q, page_size + 1, (page - 1) * page_size);
    if (!rows) return refused(ctx, rows.error());
    const bool more = rows->size() > static_cast<std::size_t>(page_size);
    if (more) rows->pop_back();
    json list = json::array();
    for (const auto& r : *rows) {
        std::string need = pick(ctx, r.need_fr, r.need_en);
        if (need.empty() && !r.sector.empty()) need = ctx.t("sector." + r.sector);
        list.push_back({{"cells", json::array({{{"text", r.reference}, {"href", "/referrals/" + std::to_string(r.id)}},
                                               {{"text", display_minute(r.received_at)}},
                                               {{"text", r.family_name + ", " + r.given_name}},
                                               {{"text", r.date_of_birth}},
                                               {{"text", need}},
                                               {{"text", label(ctx, "referral.status.", r.status)}}})}});
    }
    json statuses = json::array();
    for (auto s : d::all_referral_statuses())
        statuses.push_back({{"value", std::string(d::code(s))},
                            {"label", label(ctx, "referral.status.", d::code(s))},
                            {"selected", status == s}});
    json model = {
        {"heading", ctx.t("referral.inbox_title")},
        {"filter", {{"statuses", statuses}, {"q", q}}},
        {"rows", list},
        {"has_rows", !list.empty()},
        {"columns", json::array({ctx.t("referral.col.reference"), ctx.t("referral.col.received"), ctx.t("referral.col.child"),
                                 ctx.t("referral.col.dob"), ctx.t("referral.col.need"), ctx.t("referral.col.status")})}};
    if (more)
        model["next_href"] =
            "/referrals?status=" + percent_encode(status_in) + "&q=" + percent_encode(q) + "&page=" + std::to_string(page + 1);
    return ctx.app.page(ctx, "referral.inbox_title", "referral_list", model);
}

http::Response sent_list(Ctx& ctx) {
    if (!grant_of(ctx)) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::referral);
    json list = json::array();
    for (const auto& r : referrals(ctx).sent(200)) {
        std::string status = label(ctx, "referral.status.", r.status);
        if (!r.decline_reason.empty()) status += " — " + label(ctx, "referral.decline_reason.", r.decline_reason);
        if (r.warm_org_fr) status += " → " + pick(ctx, *r.warm_org_fr, *r.warm_org_en);
        list.push_back({{"cells", json::array({{{"text", r.reference}},
                                               {{"text", display_minute(r.received_at)}},
                                               {{"text", pick(ctx, r.org_name_fr, r.org_name_en)}},
                                               {{"text", status}},
                                               {{"text", display_minute(r.updated_at)}}})}});
    }
    json model = {
        {"heading", ctx.t("referral.sent_list_title")},
        {"rows", list},
        {"has_rows", !list.empty()},
        {"columns", json::array({ctx.t("referral.col.reference"), ctx.t("referral.col.received"), ctx.t("referral.col.sent_to"),
                                 ctx.t("referral.col.status"), ctx.t("referral.col.updated")})}};
    return ctx.app.page(ctx, "referral.sent_list_title", "referral_list", model);
}

// ---------------------------------------------------------------- one referral

json note_form(Ctx& ctx, std::int64_t id, const std::string& verb, const std::string& submit_key, const std::string& note,
               const std::vector<FieldError>& errors, bool required = false, const std::string& label_key = "referral.note") {
    FormBuilder f(ctx, "/referrals/" + std::to_string(id) + "/" + verb, submit_key);
    f.id_prefix(verb + "-")
        .field({.name = "note", .label_key = label_key, .type = "textarea", .required = required}, note)
        .errors(errors);
    return f.build();
}

json waitlist_form(Ctx& ctx, std::int64_t id, const d::WaitlistAnswerForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, "/referrals/" + std::to_string(id) + "/waitlist", "referral.waitlist_submit");
    f.id_prefix("waitlist-")
        .field({.name = "expected_date",
                .label_key = "referral.expected_date",
                .required = true,
                .hint_key = "referral.expected_date_hint",
                .inputmode = "numeric"},
               v.expected_date)
        .field({.name = "note", .label_key = "referral.note", .type = "textarea"}, v.note)
        .errors(errors);
    return f.build();
}

// A referral from a file needs no warm referral: its coordinator finds the next service.
json decline_form(Ctx& ctx, store::ReferralRepo& repo, std::int64_t id, std::int64_t sda_id, bool outbound,
                  const d::DeclineForm& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, "/referrals/" + std::to_string(id) + "/decline", "referral.decline_submit");
    f.field({.name = "reason",
             .label_key = "referral.decline_reason",
             .type = "select",
             .required = true,
             .options = options_of(ctx, d::all_decline_reasons(), "referral.decline_reason.")},
            v.reason)
        .field(
            {.name = "note", .label_key = "referral.decline_note", .type = "textarea", .hint_key = "referral.decline_note_hint"},
            v.note);
    if (!outbound)
        f.field({.name = "warm_pathway_id",
                 .label_key = "referral.warm_pathway",
                 .type = "select",
                 .hint_key = "referral.warm_pathway_hint",
                 .options = pathway_options(ctx, repo.warm_choices(sda_id))},
                v.warm_pathway_id)
            .field({.name = "warm_consent", .label_key = "referral.warm_consent", .type = "checkbox"}, v.warm_consent);
    f.errors(errors);
    return f.build();
}

// What was typed in the page's forms, and its errors, keyed by the event's code (the form that
// failed shows them again).
struct Forms {
    std::map<std::string, std::string> notes;
    std::map<std::string, std::vector<FieldError>> errors;
    d::DeclineForm decline;
    d::WaitlistAnswerForm waitlist;
    const std::vector<FieldError>& errors_of(d::ReferralEvent e) const {
        static const std::vector<FieldError> none;
        auto it = errors.find(std::string(d::code(e)));
        return it == errors.end() ? none : it->second;
    }
    std::string note_of(d::ReferralEvent e) const {
        auto it = notes.find(std::string(d::code(e)));
        return it == notes.end() ? std::string() : it->second;
    }
};

// `status` 422: a form on the page was refused before anything was written; the page still
// shows the referral, so its read's audit row is kept (committed).
http::Response detail_page(Ctx& ctx, std::int64_t id, const Forms& forms, int status) {
    auto repo = referrals(ctx);
    auto r = repo.read(id);
    if (!r) return refused(ctx, r.error());
    if (status >= 400) ctx.commit_anyway = true;
    const auto st = d::parse_referral_status(r->status).value_or(d::ReferralStatus::completed);
    json events = json::array();
    for (const auto& e : r->events) {
        json event = {{"at", display_minute(e.at)}, {"status", label(ctx, "referral.status.", e.status)}};
        if (!e.user_name.empty()) event["user"] = e.user_name;
        if (!e.note.empty()) event["note"] = e.note;
        events.push_back(event);
    }
    const std::string by =
        r->source == "professional" || r->source == "warm_referral"
            ? (r->referrer_organisation.empty() ? label(ctx, "referral.source.", r->source) : r->referrer_organisation)
            : label(ctx, "referral.source.", r->source);
    std::string service = pick(ctx, r->service_name_fr, r->service_name_en);
    if (!service.empty()) service += " — ";
    service += pick(ctx, r->org_name_fr, r->org_name_en);
    json model = {
        {"heading", ctx.t("referral.detail_title") + " " + r->reference},
        {"outbound", r->outbound},
        {"service", r->outbound ? service : std::string()},
        {"status_label", label(ctx, "referral.status.", r->status)},
        {"received_line", ctx.t("referral.received_line", {display_minute(r->received_at), by})},
        {"given_name", r->given_name},
        {"family_name", r->family_name},
        {"date_of_birth", r->date_of_birth},
        {"official_language", ctx.t("people.official_language." + r->official_language)},
        {"preferred_language", r->preferred_language},
        {"contact_name", r->contact_given_name + " " + r->contact_family_name},
        {"contact_relationship", label(ctx, "people.relationship.", r->contact_relationship)},
        {"contact_phone", r->contact_phone},
        {"contact_email", r->contact_email},
        {"needs", r->needs},
        {"source", label(ctx, "referral.source.", r->source)},
        {"referrer_name", r->referrer_name},
        {"referrer_organisation", r->referrer_organisation},
        {"referrer_phone", r->referrer_phone},
        {"referrer_email", r->referrer_email},
        {"pathway", r->pathway.id ? pathway_label(ctx, r->pathway) : std::string()},
        {"consent_line", ctx.t("referral.consent_line", {label(ctx, "privacy.given_by.", r->consent_given_by),
                                                         label(ctx, "privacy.method.", r->consent_method)})},
        {"events", events},
    };
    // Optional details left empty are left out (the template shows a row only for a key present).
    for (const char* key : {"preferred_language", "contact_phone", "contact_email", "referrer_name", "referrer_organisation",
                            "referrer_phone", "referrer_email", "pathway", "service"})
        if (model[key].get_ref<const std::string&>().empty()) model.erase(key);
    if (r->previous_reference)
        model["previous_line"] =
            ctx.t("referral.previous_line", {*r->previous_reference, pick(ctx, *r->previous_org_fr, *r->previous_org_en)});
    if (r->warm_reference)
        model["warm_line"] = ctx.t("referral.warm_line", {*r->warm_reference, pick(ctx, *r->warm_org_fr, *r->warm_org_en)});
    if (!r->decline_reason.empty())
        model["decline_line"] = ctx.t("referral.decline_line", {label(ctx, "referral.decline_reason.", r->decline_reason)});
    if (st == d::ReferralStatus::waitlisted && !r->expected_date.empty())
        model["expected_line"] = ctx.t("referral.expected_line", {r->expected_date});
    if (r->outbound) {
        std::string shared;
        for (const auto& c : r->shared_categories) shared += (shared.empty() ? "" : ", ") + label(ctx, "privacy.category.", c);
        model["shared_line"] = ctx.t("referral.shared_line", {shared});
    }
    // The receiving organisation goes back to its inbox; the sending side to the child's referrals.
    const bool receiver =
        r->relationship == d::Relationship::coordinating_agency || r->relationship == d::Relationship::privacy_officer;
    if (!receiver && r->person_id) {
        model["back_href"] = people_pages::file_href(*r->person_id) + "/referrals";
        model["back_label"] = ctx.t("referral.back_to_file_referrals");
    } else {
        model["back_href"] = "/referrals";
        model["back_label"] = ctx.t("referral.back_to_inbox");
    }
    if (r->relationship == d::Relationship::privacy_officer)
        model["access_log_href"] = "/referrals/" + std::to_string(id) + "/access-log";
    if (r->person_id && !r->outbound) {
        model["file_href"] = people_pages::file_href(*r->person_id);
    } else if (!r->outbound && st == d::ReferralStatus::accepted && r->may_update && can_register(ctx, *grant_of(ctx))) {
        model["register_href"] = "/children/new?referral=" + std::to_string(id);
    }
    // The intake of an accepted referral (features/intake): its page, or the button that opens it.
    if (auto intake = store::IntakeRepo(*ctx.access).of_referral(id))
        model["intake_href"] = "/intake/" + std::to_string(*intake);
    else if (!r->outbound && st == d::ReferralStatus::accepted && r->may_update &&
             r->relationship == d::Relationship::coordinating_agency)
        model["intake_action"] = "/referrals/" + std::to_string(id) + "/intake";
    if (r->may_update) {
        // The forms of the events the lifecycle table offers from here.
        for (auto e : d::referral_lifecycle().available(st, r->relationship, {})) {
            const std::string verb(d::code(e));
            switch (e) {
                case d::ReferralEvent::receive:
                case d::ReferralEvent::accept:
                case d::ReferralEvent::start:
                case d::ReferralEvent::complete:
                    model[verb + "_form"] =
                        note_form(ctx, id, verb, "referral." + verb + "_submit", forms.note_of(e), forms.errors_of(e));
                    break;
                case d::ReferralEvent::cancel:
                    model["cancel_form"] = note_form(ctx, id, verb, "referral.cancel_submit", forms.note_of(e),
                                                     forms.errors_of(e), true, "referral.cancel_reason");
                    break;
                case d::ReferralEvent::waitlist:
                    model["waitlist_form"] = waitlist_form(ctx, id, forms.waitlist, forms.errors_of(e));
                    break;
                case d::ReferralEvent::decline:
                    model["decline_form"] =
                        decline_form(ctx, repo, id, r->sda_id, r->outbound, forms.decline, forms.errors_of(e));
                    break;
            }
        }
    }
    return ctx.app.page(ctx, "referral.detail_title", "referral_detail", model, status);
}

std::optional<std::int64_t> id_of(Ctx& ctx) {
    return d::parse_id(ctx.req.params["id"]);
}

http::Response detail(Ctx& ctx) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx))
        return ctx.app.refused_audited(ctx, id ? Error::forbidden() : Error::not_found(), d::Purpose::referral);
    return detail_page(ctx, *id, {}, 200);
}

// Who accessed the referral: its privacy officer's view of the audit rows that name it.
http::Response access_log(Ctx& ctx) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx))
        return ctx.app.refused_audited(ctx, id ? Error::forbidden() : Error::not_found(), d::Purpose::referral);
    auto rows = referrals(ctx).access_log(*id, 500);
    if (!rows) return refused(ctx, rows.error());
    json list = json::array();
    for (const auto& e : *rows) list.push_back(audit_row_view(ctx, e));
    json model = {{"back_href", "/referrals/" + std::to_string(*id)}, {"rows", list}, {"has_rows", !list.empty()}};
    return ctx.app.page(ctx, "referral.access_log_title", "referral_access_log", model);
}

// An answer with a note (optional; the reason of a cancellation is required): receive, accept,
// start, complete, cancel. A refused or stale one shows the page with the message.
http::Response move(Ctx& ctx, d::ReferralEvent event) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx))
        return ctx.app.refused_audited(ctx, id ? Error::forbidden() : Error::not_found(), d::Purpose::referral);
    const std::string verb(d::code(event));
    std::string note;
    auto errors = event == d::ReferralEvent::cancel ? d::validate_cancel_reason(ctx.form("note"), note)
                                                    : d::validate_note(ctx.form("note"), note);
    Forms forms;
    if (!errors.empty()) {
        forms.notes[verb] = ctx.form("note");
        forms.errors[verb] = errors;
        return detail_page(ctx, *id, forms, 422);
    }
    auto repo = referrals(ctx);
    Result<void> done;
    std::string flash;
    switch (event) {
        case d::ReferralEvent::receive:
            done = repo.receive(*id, note);
            flash = "referral.received_ack";
            break;
        case d::ReferralEvent::accept:
            done = repo.accept(*id, note);
            flash = "referral.accepted";
            break;
        case d::ReferralEvent::start:
            done = repo.start(*id, note);
            flash = "referral.started";
            break;
        case d::ReferralEvent::complete:
            done = repo.complete(*id, note);
            flash = "referral.completed";
            break;
        case d::ReferralEvent::cancel:
            done = repo.cancel(*id, note);
            flash = "referral.cancelled";
            break;
        case d::ReferralEvent::waitlist:
        case d::ReferralEvent::decline:
            return ctx.app.error_page(ctx, Error::not_found());  // their own handlers below
    }
    if (!done) return refused(ctx, done.error());
    const auto notice = repo.notice(*id);
    if (event == d::ReferralEvent::cancel) notify_receiver_cancelled(ctx, notice);
    notify_follower(ctx, notice, false);
    return ctx.app.see_other(ctx, "/referrals/" + std::to_string(*id), flash);
}

http::Response waitlist(Ctx& ctx) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx))
        return ctx.app.refused_audited(ctx, id ? Error::forbidden() : Error::not_found(), d::Purpose::referral);
    Forms forms;
    forms.waitlist = {ctx.form("expected_date"), ctx.form("note")};
    d::WaitlistAnswer w;
    auto errors = d::validate(forms.waitlist, date_of(ctx.app.clock().now()), w);
    if (!errors.empty()) {
        forms.errors["waitlist"] = errors;
        return detail_page(ctx, *id, forms, 422);
    }
    auto repo = referrals(ctx);
    auto done = repo.waitlist(*id, w);
    if (!done) return refused(ctx, done.error());
    notify_follower(ctx, repo.notice(*id), false);
    return ctx.app.see_other(ctx, "/referrals/" + std::to_string(*id), "referral.waitlisted");
}

http::Response decline(Ctx& ctx) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx))
        return ctx.app.refused_audited(ctx, id ? Error::forbidden() : Error::not_found(), d::Purpose::referral);
    Forms forms;
    forms.decline = {ctx.form("reason"), ctx.form("note"), ctx.form("warm_pathway_id"), ctx.form("warm_consent")};
    d::Decline dec;
    auto& errors = forms.errors["decline"];
    errors = d::validate(forms.decline, dec);
    if (!errors.empty()) return detail_page(ctx, *id, forms, 422);
    auto repo = referrals(ctx);
    auto done = repo.decline(*id, dec, referrer_of(ctx), random_bits(ctx));
    if (!done) {
        if (done.error().code != Errc::Invalid) return refused(ctx, done.error());
        errors = done.error().fields;
        return detail_page(ctx, *id, forms, 422);
    }
    referral_pages::notify_declined(ctx, repo, *id, *done);
    return ctx.app.see_other(ctx, "/referrals/" + std::to_string(*id), *done ? "referral.declined_warm" : "referral.declined");
}

// ---------------------------------------------------------------- a child's referrals

// A service as a choice: its name, its organisation and its current wait.
std::string target_label(const Ctx& ctx, const store::ReferralTarget& t) {
    std::string wait =
        t.waitlist_status == "waitlist" && t.wait_weeks
            ? ctx.t("referral.wait.waitlist", {std::to_string(*t.wait_weeks)})
            : ctx.t("referral.wait." + (t.waitlist_status == "closed" ? std::string("closed") : std::string("open")));
    return ctx.t("referral.service_option", {pick(ctx, t.name_fr, t.name_en), pick(ctx, t.org_name_fr, t.org_name_en), wait});
}

http::Response file_referrals_page(Ctx& ctx, std::int64_t person_id, const d::OutboundForm& v,
                                   const std::vector<FieldError>& errors, int status) {
    auto repo = referrals(ctx);
    auto list = repo.for_file(person_id);
    if (!list) return refused(ctx, list.error());
    if (status >= 400) ctx.commit_anyway = true;  // the list was shown: its audit row is kept
    json rows = json::array();
    for (const auto& r : list->rows) {
        std::string where = pick(ctx, r.service_name_fr, r.service_name_en);
        if (!where.empty()) where += " — ";
        where += pick(ctx, r.org_name_fr, r.org_name_en);
        std::string state = label(ctx, "referral.status.", r.status);
        if (!r.decline_reason.empty()) state += " — " + label(ctx, "referral.decline_reason.", r.decline_reason);
        if (r.status == "waitlisted" && !r.expected_date.empty())
            state += " — " + ctx.t("referral.expected_line", {r.expected_date});
        rows.push_back({{"cells", json::array({{{"text", r.reference}, {"href", "/referrals/" + std::to_string(r.id)}},
                                               {{"text", ctx.t(r.outbound ? "referral.direction.out" : "referral.direction.in")}},
                                               {{"text", where}},
                                               {{"text", state}},
                                               {{"text", display_minute(r.received_at)}},
                                               {{"text", display_minute(r.updated_at)}}})}});
    }
    json model = {{"file_href", people_pages::file_href(person_id)},
                  {"rows", rows},
                  {"has_rows", !rows.empty()},
                  {"columns", json::array({ctx.t("referral.col.reference"), ctx.t("referral.col.direction"),
                                           ctx.t("referral.col.organisation"), ctx.t("referral.col.status"),
                                           ctx.t("referral.col.received"), ctx.t("referral.col.updated")})}};
    if (list->may_refer) {
        std::vector<Option> services;
        for (const auto& t : repo.targets(list->sda_id)) services.push_back({std::to_string(t.service_id), target_label(ctx, t)});
        FormBuilder f(ctx, people_pages::file_href(person_id) + "/referrals", "referral.file_submit");
        f.field({.name = "service_id",
                 .label_key = "referral.service",
                 .type = "select",
                 .required = true,
                 .hint_key = "referral.service_hint",
                 .options = services},
                v.service_id)
            .field({.name = "needs",
                    .label_key = "referral.reason_for_referral",
                    .type = "textarea",
                    .required = true,
                    .hint_key = "referral.reason_for_referral_hint"},
                   v.needs)
            .errors(errors);
        model["form"] = f.build();
    }
    return ctx.app.page(ctx, "referral.file_title", "referral_file", model, status);
}

http::Response file_referrals(Ctx& ctx) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx))
        return ctx.app.refused_audited(ctx, id ? Error::forbidden() : Error::not_found(), d::Purpose::coordination);
    return file_referrals_page(ctx, *id, {}, {}, 200);
}

http::Response refer_from_file(Ctx& ctx) {
    auto id = id_of(ctx);
    if (!id || !grant_of(ctx))
        return ctx.app.refused_audited(ctx, id ? Error::forbidden() : Error::not_found(), d::Purpose::referral);
    const d::OutboundForm in{ctx.form("service_id"), ctx.form("needs")};
    d::Outbound o;
    auto errors = d::validate(in, o);
    if (!errors.empty()) return file_referrals_page(ctx, *id, in, errors, 422);
    auto repo = referrals(ctx);
    auto made = repo.refer_from_file(*id, o, referrer_of(ctx), random_bits(ctx));
    if (!made) {
        if (made.error().code != Errc::Invalid) return refused(ctx, made.error());
        errors = made.error().fields;
        // The organisation is named in the reader's language (the store gives both names).
        for (auto& e : errors)
            if (e.message_key == "referral.error.no_consent_for" && e.args.size() == 2)
                e.args = {pick(ctx, e.args[1], e.args[0])};
        return file_referrals_page(ctx, *id, in, errors, 422);
    }
    notify_receiver(ctx, made->id, repo.notice(made->id));
    return ctx.app.see_other(ctx, people_pages::file_href(*id) + "/referrals", "referral.sent_from_file");
}

}  // namespace

// ---------------------------------------------------------------- for other features' pages

namespace referral_pages {

std::uint64_t random_bits(Ctx& ctx) {
    return web::random_bits(ctx);
}
store::Referrer referrer_of(Ctx& ctx) {
    return web::referrer_of(ctx);
}
std::string pathway_label(const Ctx& ctx, const store::PathwayRow& p) {
    return web::pathway_label(ctx, p);
}
void notify_declined(Ctx& ctx, store::ReferralRepo& repo, std::int64_t id, std::optional<std::int64_t> sent_on) {
    if (sent_on) notify_receiver(ctx, *sent_on, repo.notice(*sent_on));
    notify_follower(ctx, repo.notice(id), false);
}

}  // namespace referral_pages

void register_referral_pages(WebApp& app) {
    const auto P = Access::public_page;
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/refer", {"refer/form", P, R, new_referral});
    app.route("POST", "/refer", {"refer/submit", P, W, submit});
    app.route("GET", "/referrals", {"referrals/inbox", S, R, inbox});
    app.route("GET", "/referrals/sent", {"referrals/sent", S, R, sent_list});
    app.route("GET", "/referrals/{id}", {"referrals/view", S, R, detail});
    app.route("GET", "/referrals/{id}/access-log", {"referrals/access_log", S, R, access_log});
    for (auto e : {d::ReferralEvent::receive, d::ReferralEvent::accept, d::ReferralEvent::start, d::ReferralEvent::complete,
                   d::ReferralEvent::cancel}) {
        const std::string verb(d::code(e));
        app.route("POST", "/referrals/{id}/" + verb, {"referrals/" + verb, S, W, [e](Ctx& ctx) { return move(ctx, e); }});
    }
    app.route("POST", "/referrals/{id}/waitlist", {"referrals/waitlist", S, W, waitlist});
    app.route("POST", "/referrals/{id}/decline", {"referrals/decline", S, W, decline});
    app.route("GET", "/children/{id}/referrals", {"children/referrals", S, R, file_referrals});
    app.route("POST", "/children/{id}/referrals", {"children/refer", S, W, refer_from_file});
}

}  // namespace arrimage::web
