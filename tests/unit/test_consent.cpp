// Consent, lockbox and break-the-glass: validation of what is typed, and time (expiry,
// withdrawal) driven by an injected clock.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/time.hpp"
#include "domain/consent.hpp"
#include "domain/privacy.hpp"

using namespace arrimage;
using namespace arrimage::domain;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 = *parse_iso("2026-11-23T09:00:00Z");
const std::vector<std::int64_t> orgs = {100, 200, 300};

ConsentForm good_form() {
    ConsentForm f;
    f.effect = "permit";
    f.organisations = {"200", "100", "200"};
    f.categories = {"health", "plan"};
    f.purposes = {"coordination"};
    f.subject_capable = "no";
    f.given_by = "substitute_decision_maker";
    f.given_by_name = "  Marie Tremblay ";
    f.method = "written";
    f.given_at = "2026-11-20";
    f.expires_at = "2027-11-19";
    return f;
}

std::vector<std::string> keys(const std::vector<FieldError>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) out.push_back(e.field + ":" + e.message_key);
    return out;
}

std::vector<FieldError> check(const ConsentForm& f, std::span<const ConsentDirective> existing = {}) {
    ConsentDirective out;
    return validate(f, ConsentContext{orgs, existing, t0}, out);
}

ConsentDirective existing(std::int64_t id, DirectiveEffect effect, std::vector<std::int64_t> organisations, CategorySet cats,
                          PurposeSet purposes, TimePoint from, std::optional<TimePoint> until) {
    ConsentDirective d;
    d.id = id;
    d.effect = effect;
    d.organisations = std::move(organisations);
    d.categories = cats;
    d.purposes = purposes;
    d.given_at = from;
    d.expires_at = until;
    return d;
}

}  // namespace

TEST(ConsentForm, AValidFormBecomesADirective) {
    ConsentDirective d;
    const auto errors = validate(good_form(), ConsentContext{orgs, {}, t0}, d);
    ASSERT_TRUE(errors.empty()) << keys(errors).front();
    EXPECT_EQ(d.effect, DirectiveEffect::permit);
    EXPECT_EQ(d.organisations, (std::vector<std::int64_t>{100, 200}));
    EXPECT_EQ(d.categories, (CategorySet{Category::health, Category::plan}));
    EXPECT_EQ(d.purposes, PurposeSet{Purpose::coordination});
    EXPECT_EQ(d.given_by, GivenBy::substitute_decision_maker);
    EXPECT_EQ(d.given_by_name, "Marie Tremblay");
    EXPECT_EQ(format_iso(d.given_at), "2026-11-20T00:00:00Z");
    // An expiry date is the last day of effect.
    EXPECT_EQ(format_iso(*d.expires_at), "2027-11-20T00:00:00Z");
    EXPECT_FALSE(d.withdrawn_at);
    EXPECT_EQ(d.version, 1);
}

TEST(ConsentForm, ACapableYouthDecidesForThemselves) {
    auto f = good_form();
    f.subject_capable = "yes";
    EXPECT_EQ(keys(check(f)), (std::vector<std::string>{"given_by:consent.capable_youth_decides"}));
    f.given_by = "child_youth";
    EXPECT_TRUE(check(f).empty());
    f.subject_capable = "no";
    EXPECT_EQ(keys(check(f)), (std::vector<std::string>{"given_by:consent.substitute_decision_maker_required"}));
    f.subject_capable = "maybe";
    EXPECT_EQ(keys(check(f)), (std::vector<std::string>{"subject_capable:field.choose_one"}));
}

TEST(ConsentForm, FieldErrorsNameTheField) {
    struct Row {
        const char* name;
        void (*change)(ConsentForm&);
        std::vector<std::string> expected;
    };
    const Row rows[] = {
        {"unknown organisation",
         [](ConsentForm& f) {
             f.organisations = {"100", "999"};
         },
         {"organisations:consent.unknown_organisation"}},
        {"organisation not a number",
         [](ConsentForm& f) { f.organisations = {"abc"}; },
         {"organisations:consent.unknown_organisation"}},
        {"no organisation", [](ConsentForm& f) { f.organisations.clear(); }, {"organisations:field.choose_at_least_one"}},
        {"unknown category",
         [](ConsentForm& f) {
             f.categories = {"health", "finances"};
         },
         {"categories:consent.unknown_category"}},
        {"the access log is not consentable",
         [](ConsentForm& f) { f.categories = {"access_log"}; },
         {"categories:consent.unknown_category"}},
        {"no category", [](ConsentForm& f) { f.categories.clear(); }, {"categories:field.choose_at_least_one"}},
        {"oversight is not consentable",
         [](ConsentForm& f) { f.purposes = {"oversight"}; },
         {"purposes:consent.unknown_purpose"}},
        {"no purpose", [](ConsentForm& f) { f.purposes.clear(); }, {"purposes:field.choose_at_least_one"}},
        {"effect", [](ConsentForm& f) { f.effect = "maybe"; }, {"effect:field.choose_one"}},
        {"method", [](ConsentForm& f) { f.method = "telepathy"; }, {"method:field.choose_one"}},
        {"given by", [](ConsentForm& f) { f.given_by = "neighbour"; }, {"given_by:field.choose_one"}},
        {"name missing", [](ConsentForm& f) { f.given_by_name = "  "; }, {"given_by_name:field.required"}},
        {"name too long", [](ConsentForm& f) { f.given_by_name = std::string(201, 'a'); }, {"given_by_name:field.too_long"}},
        {"date missing", [](ConsentForm& f) { f.given_at = ""; }, {"given_at:field.required"}},
        {"not a date", [](ConsentForm& f) { f.given_at = "2026-02-30"; }, {"given_at:consent.invalid_date"}},
        {"given in the future", [](ConsentForm& f) { f.given_at = "2026-11-24"; }, {"given_at:consent.given_in_future"}},
        {"expiry before start", [](ConsentForm& f) { f.expires_at = "2026-11-01"; }, {"expires_at:consent.expiry_before_start"}},
        {"expiry equal to start",
         [](ConsentForm& f) { f.expires_at = "2026-11-20T00:00:00Z"; },
         {"expires_at:consent.expiry_before_start"}},
        {"expiry not a date", [](ConsentForm& f) { f.expires_at = "next year"; }, {"expires_at:consent.invalid_date"}},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.name);
        auto f = good_form();
        r.change(f);
        EXPECT_EQ(keys(check(f)), r.expected);
    }
    // No expiry: until withdrawn.
    auto f = good_form();
    f.expires_at = "";
    EXPECT_TRUE(check(f).empty());
}

TEST(ConsentForm, OverlappingAndContradictoryDirectives) {
    const auto from = t0 - 24h * 100;
    const auto until = t0 + 24h * 100;
    const ConsentDirective same =
        existing(41, DirectiveEffect::permit, {100}, {Category::health}, {Purpose::coordination}, from, until);
    const ConsentDirective other_category =
        existing(42, DirectiveEffect::permit, {100}, {Category::education}, {Purpose::coordination}, from, until);
    const ConsentDirective other_org =
        existing(43, DirectiveEffect::permit, {300}, {Category::health}, {Purpose::coordination}, from, until);
    const ConsentDirective ended =
        existing(44, DirectiveEffect::permit, {100}, {Category::health}, {Purpose::coordination}, from, t0 - 24h * 10);
    ConsentDirective withdrawn = same;
    withdrawn.id = 45;
    withdrawn.withdrawn_at = t0 - 24h * 5;
    const ConsentDirective deny =
        existing(46, DirectiveEffect::deny, {200}, {Category::plan}, {Purpose::coordination}, from, std::nullopt);
    const ConsentDirective other_purpose =
        existing(47, DirectiveEffect::permit, {100}, {Category::health}, {Purpose::reporting}, from, until);

    // A second permit over the same ground: amend the first instead.
    auto errors = check(good_form(), std::vector{same});
    ASSERT_EQ(keys(errors), (std::vector<std::string>{"organisations:consent.overlaps_existing"}));
    EXPECT_EQ(errors[0].args, (std::vector<std::string>{"41"}));
    // Disjoint scopes or periods are fine.
    EXPECT_TRUE(check(good_form(), std::vector{other_category, other_org, ended, withdrawn, other_purpose}).empty());
    // A permit an existing deny would void is contradictory.
    EXPECT_EQ(keys(check(good_form(), std::vector{deny})),
              (std::vector<std::string>{"organisations:consent.contradicts_existing"}));
    // A deny carved out of an existing permit is what denies are for.
    auto carve = good_form();
    carve.effect = "deny";
    carve.categories = {"health"};
    carve.organisations = {"100"};
    EXPECT_TRUE(check(carve, std::vector{same}).empty());
    // Two denies over the same ground overlap.
    auto deny_form = good_form();
    deny_form.effect = "deny";
    EXPECT_EQ(keys(check(deny_form, std::vector{deny})), (std::vector<std::string>{"organisations:consent.overlaps_existing"}));
    // A permit that starts after an existing one ended does not overlap it.
    auto later = good_form();
    later.given_at = "2026-11-22";
    const ConsentDirective ends_before = existing(48, DirectiveEffect::permit, {100}, {Category::health}, {Purpose::coordination},
                                                  from, *parse_iso("2026-11-22T00:00:00Z"));
    EXPECT_TRUE(check(later, std::vector{ends_before}).empty());
}

TEST(ConsentForm, VerbalConsentNeedsAWitness) {
    auto f = good_form();
    f.method = "verbal";
    EXPECT_EQ(keys(check(f)), (std::vector<std::string>{"witness_name:consent.witness_required"}));
    f.witness_name = std::string(201, 'w');
    EXPECT_EQ(keys(check(f)), (std::vector<std::string>{"witness_name:field.too_long"}));
    f.witness_name = "  Dana Witness ";
    ConsentDirective d;
    ASSERT_TRUE(validate(f, ConsentContext{orgs, {}, t0}, d).empty());
    EXPECT_EQ(d.method, ConsentMethod::verbal);
    EXPECT_EQ(d.witness_name, "Dana Witness");
    // Written or electronic consent has no witness: a typed name is not kept.
    f.method = "written";
    ASSERT_TRUE(validate(f, ConsentContext{orgs, {}, t0}, d).empty());
    EXPECT_EQ(d.witness_name, "");
}

TEST(ConsentForm, TheSubstituteDecisionMakerIsOneOfTheFamily) {
    const std::vector<std::string> sdms = {"Marie Tremblay", "Paul Tremblay"};
    auto with = [&](const ConsentForm& f, std::span<const std::string> names) {
        ConsentDirective out;
        ConsentContext ctx{orgs, {}, t0};
        ctx.substitute_decision_makers = names;
        return keys(validate(f, ctx, out));
    };
    auto f = good_form();  // given by "Marie Tremblay"
    EXPECT_TRUE(with(f, sdms).empty());
    f.given_by_name = "Someone Else";
    EXPECT_EQ(with(f, sdms), (std::vector<std::string>{"given_by_name:consent.not_a_substitute_decision_maker"}));
    EXPECT_EQ(with(f, {}), (std::vector<std::string>{"given_by_name:consent.no_substitute_decision_maker"}));
    // A capable youth consents for themselves: the list does not apply.
    f.subject_capable = "yes";
    f.given_by = "child_youth";
    EXPECT_TRUE(with(f, {}).empty());
}

TEST(ReviewNote, IsRequiredAndBounded) {
    std::string out;
    EXPECT_EQ(keys(validate_review_note("   ", out)), (std::vector<std::string>{"note:field.required"}));
    EXPECT_EQ(keys(validate_review_note(std::string(2001, 'n'), out)), (std::vector<std::string>{"note:field.too_long"}));
    EXPECT_TRUE(validate_review_note(" Justified: police wellness check. ", out).empty());
    EXPECT_EQ(out, "Justified: police wellness check.");
}

TEST(LockboxForm, Validation) {
    LockboxEntry out;
    const std::vector<LockboxEntry> none;
    auto v = [&](LockboxForm f, const std::vector<LockboxEntry>& existing) { return keys(validate(f, orgs, existing, t0, out)); };
    EXPECT_TRUE(v({"200", "health", "child_youth"}, none).empty());
    EXPECT_EQ(out.organisation_id, 200);
    EXPECT_EQ(out.category, Category::health);
    EXPECT_EQ(out.created_at, t0);
    EXPECT_EQ(v({"999", "health", "child_youth"}, none),
              (std::vector<std::string>{"organisation_id:consent.unknown_organisation"}));
    EXPECT_EQ(v({"", "health", "child_youth"}, none), (std::vector<std::string>{"organisation_id:field.choose_one"}));
    EXPECT_EQ(v({"200", "access_log", "child_youth"}, none), (std::vector<std::string>{"category:consent.unknown_category"}));
    EXPECT_EQ(v({"200", "health", "someone"}, none), (std::vector<std::string>{"requested_by:field.choose_one"}));
    EXPECT_TRUE(v({"200", "health", "child_youth", "  Private matter "}, none).empty());
    EXPECT_EQ(out.reason, "Private matter");
    EXPECT_EQ(v({"200", "health", "child_youth", std::string(501, 'r')}, none),
              (std::vector<std::string>{"reason:field.too_long"}));
    const std::vector<LockboxEntry> existing = {{5, 200, Category::health, GivenBy::child_youth, t0 - 24h, std::nullopt}};
    EXPECT_EQ(v({"200", "health", "child_youth"}, existing), (std::vector<std::string>{"category:lockbox.already_withheld"}));
    const std::vector<LockboxEntry> revoked = {{5, 200, Category::health, GivenBy::child_youth, t0 - 24h, t0 - 1h}};
    EXPECT_TRUE(v({"200", "health", "child_youth"}, revoked).empty());
}

// ---- narrowing a permit (the family's own consent page)

namespace {

// A permit in effect at t0, version 3, given verbally by the substitute decision-maker.
ConsentDirective permit_to_narrow() {
    auto d = existing(7, DirectiveEffect::permit, {100, 200, 300}, {Category::health, Category::education, Category::plan},
                      {Purpose::coordination, Purpose::referral}, t0 - 48h, t0 + 30 * 24h);
    d.version = 3;
    d.given_by = GivenBy::substitute_decision_maker;
    d.given_by_name = "Marie Tremblay";
    d.method = ConsentMethod::verbal;
    d.witness_name = "Alex Exemple";
    return d;
}

std::vector<std::string> narrowed(const NarrowForm& in, const ConsentDirective& old, ConsentDirective& out) {
    return keys(narrow(in, old, GivenBy::child_youth, "Sam Martin", t0, out));
}

}  // namespace

TEST(NarrowConsent, AGoodNarrowingIsTheNextVersionWithItsExpiry) {
    const auto old = permit_to_narrow();
    ConsentDirective out;
    ASSERT_TRUE(narrowed({{" plan ", "health", "plan"}, {"300", " 100", "300"}}, old, out).empty());
    EXPECT_EQ(out.id, 0);
    EXPECT_EQ(out.version, 4);
    EXPECT_EQ(out.effect, DirectiveEffect::permit);
    EXPECT_TRUE(out.categories == (CategorySet{Category::health, Category::plan}));
    EXPECT_EQ(out.organisations, (std::vector<std::int64_t>{100, 300}));
    EXPECT_TRUE(out.purposes == old.purposes);
    EXPECT_EQ(out.expires_at, old.expires_at);
    // Given now, electronically, by whoever narrowed it; no witness, not withdrawn.
    EXPECT_EQ(out.given_at, t0);
    EXPECT_EQ(out.given_by, GivenBy::child_youth);
    EXPECT_EQ(out.given_by_name, "Sam Martin");
    EXPECT_EQ(out.method, ConsentMethod::electronic);
    EXPECT_TRUE(out.witness_name.empty());
    EXPECT_FALSE(out.withdrawn_at);
    EXPECT_TRUE(out.in_effect(t0));
    EXPECT_FALSE(out.names(200));
    EXPECT_FALSE(out.covers(100, Category::education, Purpose::coordination));
    EXPECT_TRUE(out.covers(300, Category::plan, Purpose::referral));
    // Only the organisations, or only the categories, is a narrowing too.
    EXPECT_TRUE(narrowed({{"health", "education", "plan"}, {"200"}}, old, out).empty());
    EXPECT_EQ(out.organisations, (std::vector<std::int64_t>{200}));
    EXPECT_TRUE(out.categories == old.categories);
    EXPECT_TRUE(narrowed({{"education"}, {"100", "200", "300"}}, old, out).empty());
    EXPECT_TRUE(out.categories == (CategorySet{Category::education}));
    EXPECT_EQ(out.organisations, old.organisations);
    // An open-ended consent stays open-ended.
    auto open = old;
    open.expires_at.reset();
    EXPECT_TRUE(narrowed({{"plan"}, {"100"}}, open, out).empty());
    EXPECT_FALSE(out.expires_at);
}

TEST(NarrowConsent, KeepingEverythingRemovesNothing) {
    const auto old = permit_to_narrow();
    ConsentDirective out;
    EXPECT_EQ(narrowed({{"plan", "health", "education"}, {"300", "200", "100", "100"}}, old, out),
              (std::vector<std::string>{"categories:consent.narrow.nothing_removed"}));
}

TEST(NarrowConsent, SomethingOfEachIsKept) {
    const auto old = permit_to_narrow();
    ConsentDirective out;
    EXPECT_EQ(narrowed({{}, {"100"}}, old, out), (std::vector<std::string>{"categories:consent.narrow.keep_one"}));
    EXPECT_EQ(narrowed({{"health"}, {}}, old, out), (std::vector<std::string>{"organisations:consent.narrow.keep_one"}));
    const auto none = narrowed({{}, {}}, old, out);
    EXPECT_NE(std::find(none.begin(), none.end(), "categories:consent.narrow.keep_one"), none.end());
}

TEST(NarrowConsent, OnlyWhatTheDirectiveNamesIsKept) {
    const auto old = permit_to_narrow();
    ConsentDirective out;
    // A category it does not name (or no category at all), and an organisation it does not name.
    auto e = narrow({{"health", "case_notes"}, {"100"}}, old, GivenBy::child_youth, "Sam Martin", t0, out);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "categories");
    EXPECT_EQ(e[0].message_key, "consent.narrow.not_named");
    EXPECT_EQ(e[0].args, (std::vector<std::string>{"case_notes"}));
    EXPECT_EQ(narrowed({{"access_log"}, {"100"}}, old, out), (std::vector<std::string>{"categories:consent.narrow.not_named"}));
    EXPECT_EQ(narrowed({{"nonsense"}, {"100"}}, old, out), (std::vector<std::string>{"categories:consent.narrow.not_named"}));
    e = narrow({{"health"}, {"100", " 400 "}}, old, GivenBy::child_youth, "Sam Martin", t0, out);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "organisations");
    EXPECT_EQ(e[0].message_key, "consent.narrow.not_named");
    EXPECT_EQ(e[0].args, (std::vector<std::string>{"400"}));
    EXPECT_EQ(narrowed({{"health"}, {"abc"}}, old, out), (std::vector<std::string>{"organisations:consent.narrow.not_named"}));
    EXPECT_EQ(narrowed({{"health"}, {"-100"}}, old, out), (std::vector<std::string>{"organisations:consent.narrow.not_named"}));
    // Both wrong: each field says so.
    EXPECT_EQ(narrowed({{"case_notes"}, {"400"}}, old, out),
              (std::vector<std::string>{"categories:consent.narrow.not_named", "organisations:consent.narrow.not_named"}));
}

TEST(NarrowConsent, OnlyAPermitInEffectIsNarrowed) {
    ConsentDirective out;
    const std::vector<std::string> not_in_effect{"directive:consent.narrow.not_in_effect"};
    auto refusal = permit_to_narrow();
    refusal.effect = DirectiveEffect::deny;
    EXPECT_EQ(narrowed({{"health"}, {"100"}}, refusal, out), not_in_effect);
    auto expired = permit_to_narrow();
    expired.expires_at = t0;  // its end is exclusive
    EXPECT_EQ(narrowed({{"health"}, {"100"}}, expired, out), not_in_effect);
    auto withdrawn = permit_to_narrow();
    withdrawn.withdrawn_at = t0 - 1h;
    EXPECT_EQ(narrowed({{"health"}, {"100"}}, withdrawn, out), not_in_effect);
    auto future = permit_to_narrow();
    future.given_at = t0 + 1h;
    EXPECT_EQ(narrowed({{"health"}, {"100"}}, future, out), not_in_effect);
    // The same narrowing of the same directive in effect is accepted.
    EXPECT_TRUE(narrowed({{"health"}, {"100"}}, permit_to_narrow(), out).empty());
}

TEST(BreakGlass, ReasonIsMandatoryAndDurationIsShort) {
    const BreakGlassPolicy policy{std::chrono::minutes(30), std::chrono::minutes(120), 10};
    auto g = open_break_glass(7, 100, Role::participant_staff, "Youth disclosed intent to self-harm tonight", "", policy, t0);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->expires_at, t0 + 30min);
    EXPECT_EQ(g->user_id, 7);
    EXPECT_TRUE(g->in_effect(t0));
    auto longer = open_break_glass(7, 100, Role::coordinator, "Youth disclosed intent to self-harm", "90", policy, t0);
    ASSERT_TRUE(longer);
    EXPECT_EQ(longer->expires_at, t0 + 90min);

    auto field_keys = [](const Result<BreakGlassGrant>& r) { return keys(r.error().fields); };
    EXPECT_EQ(field_keys(open_break_glass(7, 100, Role::coordinator, "   ", "", policy, t0)),
              (std::vector<std::string>{"reason:field.required"}));
    EXPECT_EQ(field_keys(open_break_glass(7, 100, Role::coordinator, "urgent", "", policy, t0)),
              (std::vector<std::string>{"reason:break_glass.reason_too_short"}));
    EXPECT_EQ(field_keys(open_break_glass(7, 100, Role::coordinator, "Risk of harm to the child", "121", policy, t0)),
              (std::vector<std::string>{"minutes:break_glass.duration_too_long"}));
    EXPECT_EQ(field_keys(open_break_glass(7, 100, Role::coordinator, "Risk of harm to the child", "soon", policy, t0)),
              (std::vector<std::string>{"minutes:break_glass.invalid_duration"}));
    for (auto role : {Role::system_admin, Role::ca_admin, Role::privacy_officer, Role::ministry_analyst}) {
        auto r = open_break_glass(7, 100, role, "Risk of harm to the child", "", policy, t0);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::Forbidden);
    }
}

// ---- time: the same request over a moving clock

namespace {

struct File {
    std::vector<ConsentDirective> directives;
    std::vector<LockboxEntry> lockbox;
    std::vector<BreakGlassGrant> glass;

    Decision ask(const Clock& clock, Relationship rel = Relationship::assigned_coordinator, Action act = Action::read) const {
        AccessRequest q;
        q.actor = {7, 100, Role::coordinator};
        q.relationship = rel;
        q.category = Category::health;
        q.purpose = Purpose::coordination;
        q.action = act;
        q.directives = directives;
        q.lockbox = lockbox;
        q.break_glass = glass;
        return decide(q, clock.now());
    }
};

ConsentDirective health_consent(TimePoint from, std::optional<TimePoint> until) {
    return existing(1, DirectiveEffect::permit, {100}, {Category::health}, {Purpose::coordination}, from, until);
}

}  // namespace

TEST(ConsentClock, ConsentExpiresAtItsEnd) {
    ManualClock clock(t0);
    File f;
    f.directives = {health_consent(t0, t0 + 24h)};
    EXPECT_EQ(f.ask(clock).reason, Reason::consent);
    clock.advance(std::chrono::seconds(24 * 3600 - 1));
    EXPECT_TRUE(f.ask(clock).permitted());
    clock.advance(std::chrono::seconds(1));
    EXPECT_EQ(f.ask(clock), (Decision{Effect::deny, Reason::consent_expired, false, 0}));
}

TEST(ConsentClock, ConsentTakesEffectWhenGiven) {
    ManualClock clock(t0);
    File f;
    f.directives = {health_consent(t0 + 1h, std::nullopt)};
    EXPECT_EQ(f.ask(clock).reason, Reason::consent_not_yet_effective);
    clock.advance(std::chrono::hours(1));
    EXPECT_TRUE(f.ask(clock).permitted());
}

TEST(ConsentClock, WithdrawalTakesEffectOnTheNextRequest) {
    ManualClock clock(t0);
    File f;
    f.directives = {health_consent(t0 - 24h, std::nullopt)};
    EXPECT_TRUE(f.ask(clock).permitted());
    // Withdrawn at this very instant: the next request, even within the same second, is refused.
    f.directives[0].withdrawn_at = clock.now();
    EXPECT_EQ(f.ask(clock), (Decision{Effect::deny, Reason::consent_withdrawn, false, 0}));
    clock.advance(std::chrono::seconds(3600));
    EXPECT_EQ(f.ask(clock).reason, Reason::consent_withdrawn);
}

TEST(ConsentClock, DenyDirectiveExpiresAndThePermitResumes) {
    ManualClock clock(t0);
    File f;
    f.directives = {health_consent(t0 - 24h, std::nullopt),
                    existing(2, DirectiveEffect::deny, {100}, {Category::health}, {Purpose::coordination}, t0, t0 + 1h)};
    EXPECT_EQ(f.ask(clock).reason, Reason::consent_denied);
    clock.advance(std::chrono::hours(1));
    EXPECT_EQ(f.ask(clock).reason, Reason::consent);
}

TEST(ConsentClock, LockboxRevocationTakesEffectImmediately) {
    ManualClock clock(t0);
    File f;
    f.directives = {health_consent(t0 - 24h, std::nullopt)};
    f.lockbox = {{1, 100, Category::health, GivenBy::child_youth, t0 - 1h, std::nullopt}};
    EXPECT_TRUE(f.ask(clock).withheld());
    f.lockbox[0].revoked_at = clock.now();
    EXPECT_TRUE(f.ask(clock).permitted());
}

TEST(ConsentClock, BreakTheGlassExpires) {
    ManualClock clock(t0);
    const BreakGlassPolicy policy;  // 60 minutes by default
    File f;
    auto g = open_break_glass(7, 100, Role::coordinator, "Risk of serious harm reported by school", "", policy, clock.now());
    ASSERT_TRUE(g);
    f.glass = {*g};
    const Decision during = f.ask(clock, Relationship::none);
    EXPECT_EQ(during, (Decision{Effect::permit, Reason::break_glass, true, 0}));
    clock.advance(std::chrono::seconds(59 * 60 + 59));
    EXPECT_TRUE(f.ask(clock, Relationship::none).break_glass);
    clock.advance(std::chrono::seconds(1));
    EXPECT_EQ(f.ask(clock, Relationship::none), (Decision{Effect::deny, Reason::no_relationship, false, 0}));
    // Reading only, even while in effect.
    clock.set(t0);
    EXPECT_EQ(f.ask(clock, Relationship::none, Action::print).reason, Reason::no_relationship);
}
