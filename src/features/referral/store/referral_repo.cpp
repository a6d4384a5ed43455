#include "features/referral/store/referral_repo.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/text.hpp"
#include "core/time.hpp"
#include "store/person_repo.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

constexpr int reference_attempts = 8;

constexpr const char* summary_select =
    "SELECT r.id, r.reference, r.status, r.source, r.received_at, r.given_name, r.family_name, r.date_of_birth, "
    "COALESCE(t.name_fr, ''), COALESCE(t.name_en, ''), COALESCE(p.sector, ''), COALESCE(s.name_fr, ''), COALESCE(s.name_en, ''), "
    "r.person_id FROM referrals r LEFT JOIN referral_pathways p ON p.id = r.pathway_id LEFT JOIN taxonomy_terms t ON t.id = "
    "p.term_id "
    "LEFT JOIN services s ON s.id = r.service_id ";

ReferralSummary summary_of(const Row& r) {
    ReferralSummary s;
    s.id = r.i64(0);
    s.reference = r.str(1);
    s.status = r.str(2);
    s.source = r.str(3);
    s.received_at = r.str(4);
    s.given_name = r.str(5);
    s.family_name = r.str(6);
    s.date_of_birth = r.str(7);
    s.need_fr = r.str(8);
    s.need_en = r.str(9);
    s.sector = r.str(10);
    s.service_name_fr = r.str(11);
    s.service_name_en = r.str(12);
    s.person_id = r.opt_i64(13);
    return s;
}

// The child's names, date of birth and languages, from five columns starting at `at`, and the
// family contact's names, relationship, phone and email likewise: what a referral carries on.
void read_child(const Row& row, int at, d::Referral& r) {
    r.given_name = row.str(at);
    r.family_name = row.str(at + 1);
    r.date_of_birth = parse_date(row.str(at + 2)).value_or(Date{});
    r.official_language = parse_lang(row.str(at + 3)).value_or(Lang::en);
    r.preferred_language = row.str(at + 4);
}
void read_contact(const Row& row, int at, d::Referral& r) {
    r.contact.given_name = row.str(at);
    r.contact.family_name = row.str(at + 1);
    r.contact.relationship = d::parse_family_relationship(row.str(at + 2)).value_or(d::FamilyRelationship::other_caregiver);
    r.contact.phone = row.opt_str(at + 3);
    r.contact.email = row.opt_str(at + 4);
}

std::string opt_text(const std::optional<std::string>& v) {
    return v.value_or("");
}

}  // namespace

ReferralRepo::ReferralRepo(AccessContext ctx) : ctx_(std::move(ctx)), guard_(ctx_) {}

std::string ReferralRepo::now() const {
    return format_iso(ctx_.clock.now());
}

Result<ReferralRepo::Facts> ReferralRepo::facts(std::int64_t id) {
    auto r = ctx_.tx.query_one(
        "SELECT id, sda_id, organisation_id, status, person_id, source, service_id FROM referrals WHERE id = ?", {id});
    if (!r) return Error::not_found();
    // A status or source the table does not know is corrupt data: an error, never a default.
    const auto status = d::parse_referral_status(r->str(3));
    const auto source = d::parse_referral_source(r->str(5));
    if (!status || !source) throw std::runtime_error("referral " + std::to_string(id) + " has an unknown status or source");
    return Facts{r->i64(0), r->i64(1), r->i64(2), *status, r->opt_i64(4), *source, r->opt_i64(6)};
}

const LifecycleTables referral_tables{"referrals", "referral_events", "referral_id"};

Result<d::ReferralStatus> ReferralRepo::transition(const Facts& f, d::ReferralEvent event, const std::string& note,
                                                   std::vector<std::pair<std::string_view, Value>> also) {
    auto moved = fire_transition(ctx_.tx, ctx_.clock, referral_tables, d::referral_lifecycle(), f.id, f.status, event,
                                 relationship(f), d::ReferralFacts{}, ctx_.actor->user_id, note, std::move(also));
    if (moved) written_.push_back(f.id);
    return moved;
}

// The receiving organisation's staff stand to its referrals as an agency to a file it takes in.
d::Relationship ReferralRepo::receiver_relationship(std::int64_t receiving_organisation_id) const {
    if (!ctx_.actor || ctx_.actor->organisation_id != receiving_organisation_id) return d::Relationship::none;
    return ctx_.actor->role == d::Role::privacy_officer ? d::Relationship::privacy_officer : d::Relationship::coordinating_agency;
}

// The sending side of a referral from a file is the file's coordinator and team, by their place
// on it now (a coordinator who handed the file on no longer follows its referrals).
d::Relationship ReferralRepo::relationship(const Facts& f) const {
    const auto r = receiver_relationship(f.organisation_id);
    if (r != d::Relationship::none || !ctx_.actor || !f.outbound()) return r;
    return team_relationship(ctx_.tx, ctx_.clock, *ctx_.actor, *f.person_id);
}

std::optional<FileConsent> ReferralRepo::consent_of(const Facts& f) {
    if (!f.outbound()) return std::nullopt;
    auto all = load_consent(ctx_.tx, {*f.person_id}, ctx_.actor ? ctx_.actor->user_id : 0);
    auto it = all.find(*f.person_id);
    return it == all.end() ? FileConsent{} : std::move(it->second);
}

d::Decision ReferralRepo::decide(d::Relationship r, d::Action a, std::optional<std::int64_t> referral_id,
                                 std::optional<std::int64_t> person_id, d::Category category, Record how,
                                 const FileConsent* consent) {
    d::AccessRequest q;
    q.relationship = r;
    q.category = category;
    q.purpose = purpose_for(r);
    q.action = a;
    if (consent) {
        q.directives = consent->directives;
        q.lockbox = consent->lockbox;
        q.break_glass = consent->grants;
    }
    return guard_.decide(q, {person_id, referral_id}, how);
}

// A referral written on the agreement the form records (see the header).
void ReferralRepo::audit_create(std::int64_t referral_id) {
    d::AccessRequest q;
    q.action = d::Action::create;
    q.category = d::Category::identity_contact;
    q.purpose = d::Purpose::referral;
    guard_.record(q, d::Decision{d::Effect::permit, d::Reason::consent, false, 0}, {std::nullopt, referral_id});
}

ReferralRepo::Routing ReferralRepo::routing_of(const PathwayRow& p) {
    Routing to;
    to.sda_id = p.sda_id;
    to.organisation_id = p.receiving_organisation_id;
    to.pathway_id = p.id;
    to.service_id = p.service_id;
    to.names = {0, "", p.org_name_fr, p.org_name_en, p.service_name_fr, p.service_name_en, p.mechanism};
    return to;
}

Result<SubmittedReferral> ReferralRepo::insert(const d::Referral& r, const Routing& to, const Referrer& referrer,
                                               std::optional<std::int64_t> previous_id, std::uint64_t random_bits) {
    const auto t = now();
    // Who referred is recorded for professionals, warm referrals and referrals from a file.
    const bool professional = r.source == d::ReferralSource::professional || r.source == d::ReferralSource::warm_referral ||
                              r.source == d::ReferralSource::file;
    const std::string referrer_name = ctx_.actor ? referrer.name : r.referrer_name;
    const std::string referrer_org = ctx_.actor ? referrer.organisation_name : r.referrer_organisation;
    std::optional<std::string> referrer_email = r.referrer_email;
    if (ctx_.actor && !referrer.email.empty()) referrer_email = referrer.email;
    std::optional<Row> row;
    std::string reference;
    for (int attempt = 0; attempt < reference_attempts && !row; ++attempt) {
        reference = d::referral_reference(random_bits + static_cast<std::uint64_t>(attempt) * 0x9E3779B97F4A7C15ull);
        if (ctx_.tx.query_one("SELECT 1 FROM referrals WHERE reference = ?", {reference})) continue;
        row = ctx_.tx.query_one(
            "INSERT INTO referrals (reference, sda_id, pathway_id, organisation_id, service_id, previous_id, source, "
            "referrer_user_id, "
            "referrer_organisation_id, referrer_name, referrer_organisation, referrer_phone, referrer_email, given_name, "
            "family_name, "
            "search_key, "
            "date_of_birth, official_language, preferred_language, contact_given_name, contact_family_name, "
            "contact_relationship, "
            "contact_phone, contact_email, needs, consent_given_by, consent_method, status, received_at, updated_at, "
            "person_id, shared_categories) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            {reference,
             to.sda_id,
             opt(to.pathway_id),
             to.organisation_id,
             opt(to.service_id),
             opt(previous_id),
             std::string(d::code(r.source)),
             ctx_.actor ? Value{ctx_.actor->user_id} : Value{Null{}},
             ctx_.actor ? Value{ctx_.actor->organisation_id} : Value{Null{}},
             professional ? referrer_name : std::string(),
             professional ? referrer_org : std::string(),
             opt(professional ? r.referrer_phone : std::nullopt),
             opt(professional ? referrer_email : std::nullopt),
             r.given_name,
             r.family_name,
             d::search_key(r.given_name, r.family_name, ""),
             r.date_of_birth.iso(),
             std::string(code(r.official_language)),
             r.preferred_language,
             r.contact.given_name,
             r.contact.family_name,
             std::string(d::code(r.contact.relationship)),
             opt(r.contact.phone),
             opt(r.contact.email),
             r.needs,
             std::string(d::code(r.consent_given_by)),
             std::string(d::code(r.consent_method)),
             std::string(d::code(to.status)),
             t,
             t,
             opt(to.person_id),
             to.shared_categories});
    }
    if (!row) return Error::conflict("referral.error.reference");
    const auto id = row->i64(0);
    // The first row of the loop: received along a pathway, requested from a file.
    const bool requested = to.status == d::ReferralStatus::requested;
    ctx_.tx.exec("INSERT INTO referral_events (referral_id, at, user_id, event, status, note) VALUES (?, ?, ?, ?, ?, '')",
                 {id, t, ctx_.actor ? Value{ctx_.actor->user_id} : Value{Null{}}, std::string(requested ? "request" : "receive"),
                  std::string(d::code(to.status))});
    if (!to.person_id) audit_create(id);  // a referral from a file is decided on the file (refer_from_file)
    written_.push_back(id);
    SubmittedReferral out = to.names;
    out.id = id;
    out.reference = reference;
    return out;
}

Result<SubmittedReferral> ReferralRepo::submit(const d::Referral& r, const Referrer& referrer, std::uint64_t random_bits) {
    return guard_.operation([&]() -> Result<SubmittedReferral> {
        auto p = DirectoryRepo(ctx_.tx, ctx_.clock).find_pathway(r.pathway_id);
        if (!p || !p->active || !p->target_active) return Error::invalid_field("pathway_id", "referral.error.unknown_pathway");
        const auto mechanism = d::parse_access_mechanism(p->mechanism);
        if (!mechanism || !d::pathway_accepts(*mechanism, r.source))
            return Error::invalid_field("pathway_id", "referral.error.professional_only");
        auto out = insert(r, routing_of(*p), referrer, std::nullopt, random_bits);
        return out;
    });
}

Result<std::vector<ReferralSummary>> ReferralRepo::inbox(std::optional<d::ReferralStatus> status, std::string_view query,
                                                         int limit, int offset) {
    return guard_.operation([&]() -> Result<std::vector<ReferralSummary>> {
        if (!ctx_.actor) return Error::forbidden();
        const auto rel = receiver_relationship(ctx_.actor->organisation_id);
        std::string reference = trim(query);
        for (auto& c : reference)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (!d::valid_referral_reference(reference)) reference.clear();
        const auto words = reference.empty() ? d::name_query_words(query) : std::vector<std::string>{};
        const auto action = reference.empty() && words.empty() ? d::Action::list : d::Action::search;
        // The list is audited row by row below.
        if (!decide(rel, action, std::nullopt, std::nullopt, d::Category::identity_contact, Record::refusal).permitted())
            return guard_.refuse(Error::forbidden());
        std::string sql = std::string(summary_select) + "WHERE r.organisation_id = ?";
        Params params{ctx_.actor->organisation_id};
        if (status) {
            sql += " AND r.status = ?";
            params.emplace_back(std::string(d::code(*status)));
        }
        if (!reference.empty()) {
            sql += " AND r.reference = ?";
            params.emplace_back(reference);
        }
        for (const auto& w : words) {
            sql += " AND r.search_key LIKE ?";
            params.emplace_back("% " + w + "%");
        }
        sql += " ORDER BY r.received_at DESC, r.id DESC LIMIT ? OFFSET ?";
        params.emplace_back(std::int64_t{limit});
        params.emplace_back(std::int64_t{offset});
        std::vector<ReferralSummary> rows;
        std::vector<std::int64_t> files;  // of the referrals from a file: their consent is weighed
        for (const auto& row : ctx_.tx.query(sql, params)) {
            rows.push_back(summary_of(row));
            if (rows.back().source == d::code(d::ReferralSource::file) && rows.back().person_id)
                files.push_back(*rows.back().person_id);
        }
        const auto consent = load_consent(ctx_.tx, files, ctx_.actor->user_id);
        std::vector<ReferralSummary> out;
        for (auto& r : rows) {
            const FileConsent* c = nullptr;
            if (r.source == d::code(d::ReferralSource::file) && r.person_id)
                if (auto it = consent.find(*r.person_id); it != consent.end()) c = &it->second;
            // A row the family's consent now keeps from this organisation is left out (audited).
            if (decide(rel, action, r.id, r.person_id, d::Category::identity_contact, Record::always, c).permitted())
                out.push_back(std::move(r));
        }
        return out;
    });
}

Result<ReferralDetail> ReferralRepo::read(std::int64_t id) {
    return guard_.operation([&]() -> Result<ReferralDetail> {
        auto f = allowed(id, d::Action::read);
        if (!f) return f.error();
        const auto rel = relationship(*f);
        const auto consent = consent_of(*f);
        auto r = ctx_.tx.query_one(
            "SELECT r.reference, r.status, r.source, COALESCE(r.decline_reason, ''), r.received_at, r.updated_at, r.sda_id, "
            "r.organisation_id, o.name_fr, o.name_en, COALESCE(s.name_fr, ''), COALESCE(s.name_en, ''), r.pathway_id, "
            "r.referrer_name, r.referrer_organisation, r.referrer_phone, r.referrer_email, r.given_name, r.family_name, "
            "r.date_of_birth, r.official_language, r.preferred_language, r.contact_given_name, r.contact_family_name, "
            "r.contact_relationship, r.contact_phone, r.contact_email, r.needs, r.consent_given_by, r.consent_method, "
            "pr.reference, po.name_fr, po.name_en, wr.reference, wo.name_fr, wo.name_en, r.shared_categories, "
            "COALESCE(r.expected_date, '') FROM referrals r JOIN organisations o ON o.id = r.organisation_id LEFT JOIN services "
            "s ON s.id = r.service_id "
            "LEFT JOIN referrals pr ON pr.id = r.previous_id LEFT JOIN organisations po ON po.id = pr.organisation_id "
            "LEFT JOIN referrals wr ON wr.id = r.warm_referral_id LEFT JOIN organisations wo ON wo.id = wr.organisation_id "
            "WHERE r.id = ?",
            {id});
        ReferralDetail out;
        out.id = id;
        out.reference = r->str(0);
        out.status = r->str(1);
        out.source = r->str(2);
        out.decline_reason = r->str(3);
        out.received_at = r->str(4);
        out.updated_at = r->str(5);
        out.sda_id = r->i64(6);
        out.organisation_id = r->i64(7);
        out.org_name_fr = r->str(8);
        out.org_name_en = r->str(9);
        out.service_name_fr = r->str(10);
        out.service_name_en = r->str(11);
        if (auto pid = r->opt_i64(12))
            if (auto p = DirectoryRepo(ctx_.tx, ctx_.clock).find_pathway(*pid)) out.pathway = *p;
        out.referrer_name = r->str(13);
        out.referrer_organisation = r->str(14);
        out.referrer_phone = opt_text(r->opt_str(15));
        out.referrer_email = opt_text(r->opt_str(16));
        out.given_name = r->str(17);
        out.family_name = r->str(18);
        out.date_of_birth = r->str(19);
        out.official_language = r->str(20);
        out.preferred_language = r->str(21);
        out.contact_given_name = r->str(22);
        out.contact_family_name = r->str(23);
        out.contact_relationship = r->str(24);
        out.contact_phone = opt_text(r->opt_str(25));
        out.contact_email = opt_text(r->opt_str(26));
        out.needs = r->str(27);
        out.consent_given_by = r->str(28);
        out.consent_method = r->str(29);
        out.previous_reference = r->opt_str(30);
        out.previous_org_fr = r->opt_str(31);
        out.previous_org_en = r->opt_str(32);
        out.warm_reference = r->opt_str(33);
        out.warm_org_fr = r->opt_str(34);
        out.warm_org_en = r->opt_str(35);
        out.relationship = rel;
        out.person_id = f->person_id;
        out.outbound = f->outbound();
        out.shared_categories = split_on(r->str(36), ',');
        out.expected_date = r->str(37);
        for (const auto& e : ctx_.tx.query("SELECT e.at, e.status, e.note, COALESCE(u.display_name, '') FROM referral_events e "
                                           "LEFT JOIN users u ON u.id = e.user_id WHERE e.referral_id = ? ORDER BY e.id",
                                           {id}))
            out.events.push_back({e.str(0), e.str(1), e.str(2), e.str(3)});
        // Whether the actor could change it: asked, not audited (nothing is changed or shown by it).
        out.may_update = decide(rel, d::Action::update, id, std::nullopt, d::Category::identity_contact, Record::never,
                                consent ? &*consent : nullptr)
                             .permitted();
        return out;
    });
}

Result<ReferralRepo::Facts> ReferralRepo::allowed(std::int64_t id, d::Action a, d::Category c,
                                                  std::optional<std::int64_t> person_id) {
    auto f = facts(id);
    if (!f) return f.error();
    const auto rel = relationship(*f);
    const auto consent = consent_of(*f);
    if (!decide(rel, a, id, person_id ? person_id : f->person_id, c, Record::always, consent ? &*consent : nullptr).permitted())
        return guard_.refuse(rel);
    return *f;
}

Result<ReferralRepo::Facts> ReferralRepo::for_update(std::int64_t id, std::optional<std::int64_t> person_id) {
    if (!ctx_.actor) return Error::forbidden();
    return allowed(id, d::Action::update, d::Category::identity_contact, person_id);
}

Result<void> ReferralRepo::move(std::int64_t id, d::ReferralEvent event, const std::string& note) {
    auto f = for_update(id);
    if (!f) return f.error();
    auto moved = transition(*f, event, note);
    if (!moved) {
        return moved.error();
    }
    return {};
}

Result<void> ReferralRepo::accept(std::int64_t id, const std::string& note) {
    return guard_.operation([&]() -> Result<void> { return move(id, d::ReferralEvent::accept, note); });
}

Result<void> ReferralRepo::complete(std::int64_t id, const std::string& note) {
    return guard_.operation([&]() -> Result<void> { return move(id, d::ReferralEvent::complete, note); });
}

Result<void> ReferralRepo::receive(std::int64_t id, const std::string& note) {
    return guard_.operation([&]() -> Result<void> { return move(id, d::ReferralEvent::receive, note); });
}

Result<void> ReferralRepo::start(std::int64_t id, const std::string& note) {
    return guard_.operation([&]() -> Result<void> { return move(id, d::ReferralEvent::start, note); });
}

Result<void> ReferralRepo::cancel(std::int64_t id, const std::string& reason) {
    return guard_.operation([&]() -> Result<void> { return move(id, d::ReferralEvent::cancel, reason); });
}

Result<void> ReferralRepo::waitlist(std::int64_t id, const d::WaitlistAnswer& w) {
    return guard_.operation([&]() -> Result<void> {
        auto f = for_update(id);
        if (!f) return f.error();
        auto moved = transition(*f, d::ReferralEvent::waitlist, w.note, {{"expected_date", w.expected_date.iso()}});
        if (!moved) return moved.error();
        // The service's published wait follows (a closed service stays closed).
        DirectoryRepo directory(ctx_.tx, ctx_.clock);
        if (f->service_id)
            if (auto s = directory.find_service(*f->service_id); s && s->waitlist_status != "closed") {
                const int weeks = d::wait_weeks_until(date_of(ctx_.clock.now()), w.expected_date);
                if (!directory.update_waitlist(*f->service_id, {d::WaitlistStatus::waitlist, weeks}, ctx_.actor->user_id))
                    return Error{Errc::Internal, "error.internal", {}, {}};
            }
        return {};
    });
}

Result<void> ReferralRepo::link_file(std::int64_t id, std::int64_t person_id) {
    return guard_.operation([&]() -> Result<void> {
        auto f = for_update(id, person_id);
        if (!f) return f.error();
        if (f->status != d::ReferralStatus::accepted || f->person_id) {
            return Error::conflict("referral.error.status");
        }
        ctx_.tx.exec("UPDATE referrals SET person_id = ?, updated_at = ? WHERE id = ?", {person_id, now(), id});
        return {};
    });
}

std::vector<PathwayRow> ReferralRepo::warm_choices(std::int64_t sda_id) {
    std::vector<PathwayRow> out;
    for (auto& p : DirectoryRepo(ctx_.tx, ctx_.clock).list_pathways(std::vector<std::int64_t>{sda_id}, false))
        if (p.target_active && (!ctx_.actor || p.receiving_organisation_id != ctx_.actor->organisation_id))
            out.push_back(std::move(p));
    return out;
}

Result<std::optional<std::int64_t>> ReferralRepo::decline(std::int64_t id, const d::Decline& dec, const Referrer& referrer,
                                                          std::uint64_t random_bits) {
    return guard_.operation([&]() -> Result<std::optional<std::int64_t>> {
        auto f = for_update(id);
        if (!f) return f.error();
        // Never a dead end: the pathway, and the family's agreement to it, are both missing.
        if (!dec.warm_pathway_id && d::needs_warm_referral(dec.reason, f->source))
            return Error::invalid({{"warm_pathway_id", "referral.error.warm_required", {}},
                                   {"warm_consent", "referral.error.warm_consent_required", {}}});
        std::optional<PathwayRow> warm;
        if (dec.warm_pathway_id) {
            for (auto& p : warm_choices(f->sda_id))
                if (p.id == *dec.warm_pathway_id) warm = std::move(p);
            if (!warm) {
                return Error::invalid_field("warm_pathway_id", "referral.error.unknown_pathway");
            }
        }
        // The status first, as a compare-and-set: of two declines at once only one gets past
        // here, so only one warm referral is ever made. What fails after it is an internal error,
        // and the request's transaction is rolled back whole.
        auto moved = transition(*f, d::ReferralEvent::decline, dec.note, {{"decline_reason", std::string(d::code(dec.reason))}});
        if (!moved) {
            return moved.error();
        }
        std::optional<std::int64_t> next;
        if (warm) {
            // The family's details go on, as given; the decline's agreement was recorded by the form.
            auto src = ctx_.tx.query_one(
                "SELECT given_name, family_name, date_of_birth, official_language, preferred_language, contact_given_name, "
                "contact_family_name, contact_relationship, contact_phone, contact_email, needs, consent_given_by FROM referrals "
                "WHERE id = ?",
                {id});
            d::Referral r;
            r.source = d::ReferralSource::warm_referral;
            read_child(*src, 0, r);
            read_contact(*src, 5, r);
            r.needs = src->str(10);
            r.consent_given_by = d::parse_given_by(src->str(11)).value_or(d::GivenBy::substitute_decision_maker);
            r.consent_method = d::ConsentMethod::verbal;
            r.pathway_id = warm->id;
            auto made = insert(r, routing_of(*warm), referrer, id, random_bits);
            if (!made) {
                return Error{Errc::Internal, "error.internal", {}, {}};
            }
            next = made->id;
            ctx_.tx.exec("UPDATE referrals SET warm_referral_id = ? WHERE id = ?", {*next, id});
        }
        return next;
    });
}

Result<std::vector<AuditEntry>> ReferralRepo::access_log(std::int64_t id, int limit) {
    return guard_.operation([&]() -> Result<std::vector<AuditEntry>> {
        if (auto f = allowed(id, d::Action::read, d::Category::access_log); !f) return f.error();
        std::vector<AuditEntry> out;
        for (const auto& r : ctx_.tx.query(
                 "SELECT a.id, a.at, a.user_id, a.organisation_id, a.person_id, u.display_name, o.name_fr, o.name_en, a.action, "
                 "a.category, a.purpose, a.decision, a.reason, a.break_glass FROM audit_events a LEFT JOIN users u ON u.id = "
                 "a.user_id "
                 "LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.referral_id = ? ORDER BY a.id DESC LIMIT ?",
                 {id, std::int64_t{limit}}))
            out.push_back(audit_entry_of(r));
        return out;
    });
}

std::int64_t ReferralRepo::public_sends(const std::string& address_hash, TimePoint since) {
    return ctx_.tx
        .query_one("SELECT COUNT(*) FROM referral_form_sends WHERE address_hash = ? AND at >= ?",
                   {address_hash, format_iso(since)})
        ->i64(0);
}

void ReferralRepo::record_public_send(const std::string& address_hash, TimePoint since) {
    ctx_.tx.exec("DELETE FROM referral_form_sends WHERE at < ?", {format_iso(since)});
    ctx_.tx.exec("INSERT INTO referral_form_sends (address_hash, at) VALUES (?, ?)", {address_hash, now()});
}

std::optional<ReferralNotice> ReferralRepo::notice(std::int64_t id) {
    if (std::find(written_.begin(), written_.end(), id) == written_.end()) return std::nullopt;
    auto r = ctx_.tx.query_one(
        "SELECT r.reference, r.status, COALESCE(r.decline_reason, ''), o.name_fr, o.name_en, wo.name_fr, wo.name_en, "
        "COALESCE(NULLIF(s.email, ''), o.email, ''), u.email, u.preferred_lang, r.referrer_email, r.contact_email, "
        "r.official_language, r.organisation_id, r.source FROM referrals r JOIN organisations o ON o.id = r.organisation_id "
        "LEFT JOIN services s ON s.id = r.service_id LEFT JOIN users u ON u.id = r.referrer_user_id AND u.active = 1 "
        "LEFT JOIN referrals wr ON wr.id = r.warm_referral_id LEFT JOIN organisations wo ON wo.id = wr.organisation_id "
        "WHERE r.id = ?",
        {id});
    if (!r) return std::nullopt;
    ReferralNotice n;
    n.id = id;
    n.organisation_id = r->i64(13);
    n.outbound = r->str(14) == "file";
    n.reference = r->str(0);
    n.status = r->str(1);
    n.decline_reason = r->str(2);
    n.org_name_fr = r->str(3);
    n.org_name_en = r->str(4);
    n.warm_org_fr = r->opt_str(5);
    n.warm_org_en = r->opt_str(6);
    n.intake_email = r->str(7);
    if (auto user = r->opt_str(8)) {
        n.follower_email = *user;
        n.follower_lang = parse_lang(r->opt_str(9).value_or("en")).value_or(Lang::en);
        n.follower_is_user = true;
    } else {
        n.follower_email = r->opt_str(10).value_or(r->opt_str(11).value_or(""));
        n.follower_lang = parse_lang(r->str(12)).value_or(Lang::en);
    }
    return n;
}

// ---------------------------------------------------------------- referrals from a file

namespace {

constexpr const char* target_select =
    "SELECT s.id, o.id, s.name_fr, s.name_en, o.name_fr, o.name_en, s.waitlist_status, s.wait_weeks FROM services s "
    "JOIN organisations o ON o.id = s.organisation_id WHERE s.active = 1 AND o.active = 1 AND o.sda_id = ? AND o.id <> ? ";

ReferralTarget target_of(const Row& r) {
    return {r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.opt_i64(7)};
}

bool sends(d::Relationship r) {
    return r == d::Relationship::assigned_coordinator || r == d::Relationship::team_member;
}

}  // namespace

std::vector<ReferralTarget> ReferralRepo::targets(std::int64_t sda_id) {
    std::vector<ReferralTarget> out;
    if (!ctx_.actor) return out;
    for (const auto& r : ctx_.tx.query(std::string(target_select) + "ORDER BY o.name_en, o.id, s.sort_name_en, s.id",
                                       {sda_id, ctx_.actor->organisation_id}))
        out.push_back(target_of(r));
    return out;
}

Result<SubmittedReferral> ReferralRepo::refer_from_file(std::int64_t person_id, const d::Outbound& o, const Referrer& referrer,
                                                        std::uint64_t random_bits) {
    return guard_.operation([&]() -> Result<SubmittedReferral> {
        if (!ctx_.actor) return Error::forbidden();
        auto fa = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
        if (!fa) return Error::not_found();
        // Sharing the file with another organisation, under the referral purpose.
        auto q = fa->request(d::Category::identity_contact, d::Action::create);
        q.purpose = d::Purpose::referral;
        if (!sends(fa->relationship)) {
            // The agency's other staff and the privacy officer do not refer from a file: its
            // coordinator and team do.
            return guard_.refuse_unserved(q, {person_id});
        }
        const auto decision = guard_.gate(q, {person_id});
        if (!decision.permitted()) return guard_.refuse(fa->relationship);

        auto t = ctx_.tx.query_one(std::string(target_select) + "AND s.id = ?",
                                   {fa->sda_id, ctx_.actor->organisation_id, o.service_id});
        if (!t) return Error::invalid_field("service_id", "referral.error.unknown_service");
        const auto target = target_of(*t);
        const auto sharing =
            d::shared_with(target.organisation_id, fa->consent.directives, fa->consent.lockbox, ctx_.clock.now());
        if (!sharing.identity_directive_id)
            return Error::invalid_field("service_id", "referral.error.no_consent_for", {target.org_name_en, target.org_name_fr});

        auto child = ctx_.tx.query_one(
            "SELECT given_name, family_name, date_of_birth, official_language, preferred_language FROM people WHERE id = ?",
            {person_id});
        auto contact = ctx_.tx.query_one(
            "SELECT given_name, family_name, relationship, phone, email FROM family_members WHERE person_id = ? AND active = 1 "
            "ORDER BY is_substitute_decision_maker DESC, id LIMIT 1",
            {person_id});
        if (!contact) return Error::invalid_field("service_id", "referral.error.no_contact");
        d::Referral r;
        r.source = d::ReferralSource::file;
        read_child(*child, 0, r);
        read_contact(*contact, 0, r);
        r.needs = o.needs;
        for (const auto& dir : fa->consent.directives)
            if (dir.id == sharing.identity_directive_id) {
                r.consent_given_by = dir.given_by;
                r.consent_method = dir.method;
            }
        Routing to;
        to.sda_id = fa->sda_id;
        to.organisation_id = target.organisation_id;
        to.service_id = target.service_id;
        to.person_id = person_id;
        to.status = d::ReferralStatus::requested;
        for (auto c : sharing.categories)
            to.shared_categories += (to.shared_categories.empty() ? "" : ",") + std::string(d::code(c));
        to.names = {0, "", target.org_name_fr, target.org_name_en, target.name_fr, target.name_en, ""};
        auto made = insert(r, to, referrer, std::nullopt, random_bits);
        if (!made) return made.error();
        guard_.record(q, decision, {person_id, made->id});
        return made;
    });
}

Result<FileReferrals> ReferralRepo::for_file(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<FileReferrals> {
        if (!ctx_.actor) return Error::forbidden();
        auto fa = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
        if (!fa) return Error::not_found();
        if (!guard_.decide(fa->request(d::Category::identity_contact, d::Action::list), {person_id}).permitted())
            return guard_.refuse(fa->relationship);
        FileReferrals out;
        out.sda_id = fa->sda_id;
        for (const auto& r : ctx_.tx.query(
                 "SELECT r.id, r.reference, r.status, r.source, COALESCE(r.decline_reason, ''), r.received_at, r.updated_at, "
                 "COALESCE(r.expected_date, ''), o.name_fr, o.name_en, COALESCE(s.name_fr, ''), COALESCE(s.name_en, '') "
                 "FROM referrals r JOIN organisations o ON o.id = r.organisation_id LEFT JOIN services s ON s.id = r.service_id "
                 "WHERE r.person_id = ? ORDER BY r.received_at DESC, r.id DESC",
                 {person_id})) {
            FileReferral f{r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4),  r.str(5),
                           r.str(6), r.str(7), r.str(8), r.str(9), r.str(10), r.str(11)};
            f.outbound = f.source == d::code(d::ReferralSource::file);
            out.rows.push_back(std::move(f));
        }
        if (sends(fa->relationship)) {
            auto q = fa->request(d::Category::identity_contact, d::Action::create);
            q.purpose = d::Purpose::referral;
            out.may_refer = guard_.ask(q).permitted();
        }
        return out;
    });
}

std::vector<SentReferral> ReferralRepo::sent(int limit) {
    std::vector<SentReferral> out;
    if (!ctx_.actor) return out;
    for (const auto& r : ctx_.tx.query(
             "SELECT r.id, r.reference, r.status, COALESCE(r.decline_reason, ''), r.received_at, r.updated_at, o.name_fr, "
             "o.name_en, "
             "wo.name_fr, wo.name_en FROM referrals r JOIN organisations o ON o.id = r.organisation_id "
             "LEFT JOIN referrals wr ON wr.id = r.warm_referral_id LEFT JOIN organisations wo ON wo.id = wr.organisation_id "
             "WHERE r.referrer_user_id = ? ORDER BY r.received_at DESC, r.id DESC LIMIT ?",
             {ctx_.actor->user_id, std::int64_t{limit}}))
        out.push_back(
            {r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.str(7), r.opt_str(8), r.opt_str(9)});
    return out;
}

// ---------------------------------------------------------------- for notifications

std::vector<AwaitingAnswer> awaiting_answer(Tx& tx) {
    std::vector<AwaitingAnswer> out;
    for (const auto& r : tx.query("SELECT r.id, r.sda_id, r.organisation_id, r.reference, r.received_at, r.status, o.name_fr, "
                                  "o.name_en FROM referrals r JOIN organisations o ON o.id = r.organisation_id "
                                  "WHERE r.status IN ('requested', 'received') AND r.reminded_at IS NULL ORDER BY r.id")) {
        auto status = d::parse_referral_status(r.str(5));
        if (!status || !d::awaits_answer(*status)) continue;
        out.push_back({r.i64(0), r.i64(1), r.i64(2), r.str(3), r.str(4), r.str(6), r.str(7)});
    }
    return out;
}

void mark_reminded(Tx& tx, std::int64_t referral_id, TimePoint at) {
    tx.exec("UPDATE referrals SET reminded_at = ? WHERE id = ?", {format_iso(at), referral_id});
}

std::vector<std::int64_t> sending_side_users(Tx& tx, std::int64_t referral_id) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx.query(
             "SELECT u.id FROM referrals r JOIN users u ON u.id = r.referrer_user_id AND u.active = 1 WHERE r.id = ? "
             "UNION SELECT ft.user_id FROM referrals r JOIN file_team ft ON ft.person_id = r.person_id "
             "AND ft.kind = 'assigned_coordinator' AND ft.until_at IS NULL JOIN users u ON u.id = ft.user_id AND u.active = 1 "
             "WHERE r.id = ? AND r.source = 'file' ORDER BY 1",
             {referral_id, referral_id}))
        out.push_back(r.i64(0));
    return out;
}

}  // namespace arrimage::store
