// The letter to a family found not eligible (letter.hpp, docs/INTAKE.md "The letter").
#include <string>
#include <vector>

#include "core/time.hpp"
#include "features/intake/domain/intake.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/intake/web/letter.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "web/app.hpp"
#include "web/pdf.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
namespace d = domain;

namespace {

using people_pages::acting_grant;

// What the letter is made of: the intake and its referral, both read through their guards.
struct Sources {
    store::IntakeRecord intake;
    store::ReferralDetail referral;
    Lang lang = Lang::en;  // the family's language of service
};

// The intake's letter, if the actor may read the intake and its referral and the family was
// found not eligible (Conflict "intake.letter.none" otherwise: there is no letter to give).
Result<Sources> sources(Ctx& ctx, std::int64_t id) {
    auto intake = store::IntakeRepo(*ctx.access).read(id);
    if (!intake) return intake.error();
    if (intake->status != d::code(d::IntakeStatus::ineligible)) return Error::conflict("intake.letter.none");
    auto referral = store::ReferralRepo(*ctx.access).read(intake->referral_id);
    if (!referral) return referral.error();
    const Lang lang = intake->official_language == "fr" ? Lang::fr : Lang::en;
    return Sources{std::move(*intake), std::move(*referral), lang};
}

// "6 December 2026" / "6 décembre 2026".
std::string long_date(const Catalogue& cat, Lang l, const Date& day) {
    return cat.t(
        l, "intake.letter.date",
        {std::to_string(day.day), cat.t(l, "intake.letter.month." + std::to_string(day.month)), std::to_string(day.year)});
}

// The letter's text in `l`. `named`: the printed letter, handed or posted to the family, names
// the child and the person it is addressed to; the email says the reference only.
PdfDocument letter(const Catalogue& cat, Lang l, const Sources& s, const Date& today, bool named) {
    const auto& i = s.intake;
    const auto& r = s.referral;
    const std::string agency = l == Lang::fr ? r.org_name_fr : r.org_name_en;
    const auto t = [&](const std::string& key, const std::vector<std::string>& args = {}) { return cat.t(l, key, args); };
    PdfDocument doc;
    doc.lang = l;
    doc.title = t("intake.letter.title");
    doc.footer = t("intake.letter.footer", {agency, i.reference});
    using K = PdfBlock::Kind;
    auto& b = doc.blocks;
    b.push_back({K::small, agency + "\n" + long_date(cat, l, today)});
    if (named) {
        b.push_back({K::paragraph, t("intake.letter.to", {i.contact_name})});
        b.push_back({K::paragraph, t("intake.letter.about", {i.given_name + " " + i.family_name, i.date_of_birth, i.reference})});
        b.push_back({K::paragraph, t("intake.letter.greeting", {i.contact_name})});
    } else {
        b.push_back({K::paragraph, t("intake.letter.about_reference", {i.reference})});
        b.push_back({K::paragraph, t("intake.letter.greeting_plain")});
    }
    b.push_back({K::paragraph, t("intake.letter.decision", {agency})});
    b.push_back({K::heading, t("intake.letter.why_heading")});
    std::string why;
    if (!r.decline_reason.empty()) why = t("referral.decline_reason." + r.decline_reason) + "\n";
    b.push_back({K::paragraph, why + i.decision_reason});
    b.push_back({K::heading, t("intake.letter.sent_on_heading")});
    if (r.warm_reference && r.warm_org_fr && r.warm_org_en)
        b.push_back(
            {K::paragraph, t("intake.letter.sent_on", {l == Lang::fr ? *r.warm_org_fr : *r.warm_org_en, *r.warm_reference})});
    else
        b.push_back({K::paragraph, t("intake.letter.not_sent_on")});
    b.push_back({K::heading, t("intake.letter.return_heading")});
    b.push_back({K::paragraph, t("intake.letter.return", {agency, i.reference})});
    b.push_back({K::heading, t("intake.letter.information_heading")});
    b.push_back({K::paragraph, t("intake.letter.information", {agency})});
    b.push_back({K::paragraph, t("intake.letter.signature", {i.decided_by_name, agency})});
    return doc;
}

std::optional<std::int64_t> letter_id(Ctx& ctx) {
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!id || !ctx.signed_in() || !acting_grant(ctx)) return std::nullopt;
    return id;
}

http::Response not_allowed(Ctx& ctx) {
    return ctx.app.refused_audited(ctx, d::parse_id(ctx.req.params["id"]) ? Error::forbidden() : Error::not_found(),
                                   d::Purpose::referral);
}

// The language asked for (?lang=fr|en; none: the family's). Anything else is a field error,
// answered before the intake is read.
Result<std::optional<Lang>> asked_language(Ctx& ctx) {
    const std::string asked = ctx.req.query_param("lang");
    if (asked.empty()) return std::optional<Lang>();
    if (auto l = parse_lang(asked)) return std::optional<Lang>(*l);
    return Error::invalid_field("lang", "intake.letter.error.lang");
}

http::Response letter_page(Ctx& ctx) {
    auto id = letter_id(ctx);
    if (!id) return not_allowed(ctx);
    auto asked = asked_language(ctx);
    if (!asked) return ctx.app.error_page(ctx, asked.error());
    auto s = sources(ctx, *id);
    if (!s) return people_pages::refused(ctx, s.error());
    const Lang l = asked->value_or(s->lang);
    ctx.lang = l;
    const auto doc = letter(ctx.app.catalogue(), l, *s, date_of(ctx.app.clock().now()), true);
    const std::string href = "/intake/" + std::to_string(*id) + "/letter";
    const Lang other = l == Lang::fr ? Lang::en : Lang::fr;
    json model = {{"heading", doc.title},
                  {"blocks", printable_blocks(doc)},
                  {"pdf_href", href + ".pdf?lang=" + std::string(code(l))},
                  {"back_href", "/intake/" + std::to_string(*id)},
                  {"other_lang_href", href + "?lang=" + std::string(code(other))},
                  {"other_lang_name", ctx.app.catalogue().t(other, "lang.self")},
                  {"other_lang_code", std::string(code(other))}};
    if (!s->intake.contact_email.empty()) model["emailed_to"] = ctx.t("intake.letter.emailed_to", {s->intake.contact_email});
    return ctx.app.print_page(ctx, "intake.letter.title", "intake_letter", model);
}

http::Response letter_pdf(Ctx& ctx) {
    auto id = letter_id(ctx);
    if (!id) return not_allowed(ctx);
    auto asked = asked_language(ctx);
    if (!asked) return ctx.app.error_page(ctx, asked.error());
    auto s = sources(ctx, *id);
    if (!s) return people_pages::refused(ctx, s.error());
    const Lang l = asked->value_or(s->lang);
    http::Response res;
    res.content_type = "application/pdf";
    res.set_header("Content-Disposition", "inline; filename=\"letter-" + s->intake.reference + ".pdf\"");
    res.body = render_pdf(letter(ctx.app.catalogue(), l, *s, date_of(ctx.app.clock().now()), true));
    return res;
}

}  // namespace

namespace intake_letter {

bool send(Ctx& ctx, std::int64_t id) {
    auto s = sources(ctx, id);
    if (!s || s->intake.contact_email.empty()) return false;
    const auto& cat = ctx.app.catalogue();
    const auto doc = letter(cat, s->lang, *s, date_of(ctx.app.clock().now()), false);
    std::string body;
    for (const auto& b : doc.blocks) body += (body.empty() ? "" : "\n\n") + b.text;
    ctx.auth().enqueue_email(s->intake.contact_email, cat.t(s->lang, "email.intake.letter.subject", {s->intake.reference}), body);
    return true;
}

void register_pages(WebApp& app) {
    const auto S = Access::signed_in;
    app.route("GET", "/intake/{id}/letter", {"intake/letter", S, store::TxMode::read, letter_page});
    app.route("GET", "/intake/{id}/letter.pdf", {"intake/letter_pdf", S, store::TxMode::read, letter_pdf});
}

}  // namespace intake_letter

}  // namespace arrimage::web
