#include "features/agreements/store/agreement_repo.hpp"

#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/people.hpp"
#include "features/notification/store/notification_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

constexpr LifecycleTables agreement_tables{"agreements", "agreement_events", "agreement_id"};

constexpr const char* summary_select =
    "SELECT a.id, a.sda_id, s.name_fr, s.name_en, a.reference, a.title_fr, a.title_en, a.kind, a.status, "
    "a.effective_on, a.expires_on, a.review_due, "
    "COALESCE((SELECT MAX(v.evaluated_on) FROM agreement_evaluations v WHERE v.agreement_id = a.id), '') "
    "FROM agreements a JOIN service_delivery_areas s ON s.id = a.sda_id ";

AgreementSummary summary_of(const Row& r, const std::string& today) {
    AgreementSummary s;
    s.id = r.i64(0);
    s.sda_id = r.i64(1);
    s.area_fr = r.str(2);
    s.area_en = r.str(3);
    s.reference = r.str(4);
    s.title_fr = r.str(5);
    s.title_en = r.str(6);
    s.kind = d::parse_agreement_kind(r.str(7)).value_or(d::AgreementKind::partnership);
    s.status = d::parse_agreement_status(r.str(8)).value_or(d::AgreementStatus::draft);
    s.effective_on = r.str(9);
    s.expires_on = r.str(10);
    s.review_due = r.str(11);
    s.last_evaluated_on = r.str(12);
    s.review_late = d::in_force(s.status) && s.review_due < today;
    return s;
}

// The parties and scopes of the agreements whose ids `ids_sql` selects (with `params`), added
// to `list` (ordered by id).
void add_parties_and_scopes(Tx& tx, std::vector<AgreementSummary>& list, const std::string& ids_sql, const Params& params) {
    std::map<std::int64_t, AgreementSummary*> by_id;
    for (auto& s : list) by_id[s.id] = &s;
    for (const auto& r :
         tx.query("SELECT p.agreement_id, o.id, o.name_fr, o.name_en, "
                  "CASE WHEN EXISTS (SELECT 1 FROM organisation_csp_roles c WHERE c.organisation_id = o.id "
                  "AND c.csp_role = 'coordinating_agency') THEN 1 ELSE 0 END "
                  "FROM agreement_parties p JOIN organisations o ON o.id = p.organisation_id WHERE p.agreement_id IN (" +
                      ids_sql + ") ORDER BY 1, 5 DESC, o.name_en",
                  params)) {
        auto it = by_id.find(r.i64(0));
        if (it == by_id.end()) continue;
        it->second->parties.push_back({r.i64(1), r.str(2), r.str(3), r.boolean(4)});
    }
    for (const auto& r : tx.query(
             "SELECT agreement_id, scope FROM agreement_scopes WHERE agreement_id IN (" + ids_sql + ") ORDER BY 1", params)) {
        auto it = by_id.find(r.i64(0));
        if (it == by_id.end()) continue;
        if (auto scope = d::parse_agreement_scope(r.str(1))) it->second->scopes.push_back(*scope);
    }
    for (auto& s : list) std::sort(s.scopes.begin(), s.scopes.end());
}

std::optional<Date> optional_date(const std::string& s) {
    if (s.empty()) return std::nullopt;
    return parse_date(s);
}

}  // namespace

bool AgreementRepo::may_manage() const {
    return static_cast<bool>(admin_area());
}

Result<std::int64_t> AgreementRepo::admin_area() const {
    if (!ctx_.actor || ctx_.actor->role != d::Role::ca_admin) return Error::forbidden();
    const auto sda = ctx_.tx.query_one("SELECT sda_id FROM organisations WHERE id = ?", {ctx_.actor->organisation_id});
    if (!sda) return Error::forbidden();
    return sda->i64(0);
}

Result<std::pair<std::string, Params>> AgreementRepo::inventory_where(const d::InventoryFilter& f) const {
    std::string where = "WHERE 1 = 1";
    Params params;
    if (!ctx_.actor) return Error::forbidden();
    switch (ctx_.actor->role) {
        case d::Role::ca_admin: {
            auto area = admin_area();
            if (!area) return area.error();
            where += " AND a.sda_id = ?";
            params.emplace_back(*area);
            break;
        }
        case d::Role::provider_manager:
            where += " AND EXISTS (SELECT 1 FROM agreement_parties x WHERE x.agreement_id = a.id AND x.organisation_id = ?)";
            params.emplace_back(ctx_.actor->organisation_id);
            break;
        case d::Role::ministry_analyst:
            break;
        default:
            return Error::forbidden();
    }
    if (f.kind) where += " AND a.kind = ?", params.emplace_back(std::string(d::code(*f.kind)));
    if (f.status) where += " AND a.status = ?", params.emplace_back(std::string(d::code(*f.status)));
    if (f.scope) {
        where += " AND EXISTS (SELECT 1 FROM agreement_scopes y WHERE y.agreement_id = a.id AND y.scope = ?)";
        params.emplace_back(std::string(d::code(*f.scope)));
    }
    if (f.organisation) {
        where += " AND EXISTS (SELECT 1 FROM agreement_parties z WHERE z.agreement_id = a.id AND z.organisation_id = ?)";
        params.emplace_back(*f.organisation);
    }
    if (f.review_due) {
        where += " AND a.status IN ('active', 'under_review', 'renewed') AND a.review_due <= ?";
        params.emplace_back(add_days(date_of(ctx_.clock.now()), d::review_soon_days).iso());
    }
    return std::pair{where, params};
}

Result<std::vector<AgreementSummary>> AgreementRepo::inventory(const d::InventoryQuery& query) const {
    d::InventoryFilter f;
    if (auto e = d::validate(query, f); !e.empty()) return Error::invalid(std::move(e));
    auto where = inventory_where(f);
    if (!where) return where.error();
    const auto& [sql, params] = *where;
    const std::string today = date_of(ctx_.clock.now()).iso();
    std::vector<AgreementSummary> out;
    for (const auto& r : ctx_.tx.query(std::string(summary_select) + sql + " ORDER BY a.review_due, a.reference", params))
        out.push_back(summary_of(r, today));
    if (!out.empty()) add_parties_and_scopes(ctx_.tx, out, "SELECT a.id FROM agreements a " + sql, params);
    return out;
}

Result<AgreementRepo::InventoryPage> AgreementRepo::inventory_page(const d::InventoryQuery& query) const {
    d::InventoryFilter f;
    if (auto e = d::validate(query, f); !e.empty()) return Error::invalid(std::move(e));
    auto where = inventory_where(f);
    if (!where) return where.error();
    const auto& [sql, params] = *where;
    InventoryPage out;
    out.page = f.page;
    out.total = ctx_.tx.query_one("SELECT COUNT(*) FROM agreements a " + sql, params)->i64(0);
    Params paged = params;
    paged.emplace_back(static_cast<std::int64_t>(d::inventory_page_size));
    paged.emplace_back(static_cast<std::int64_t>(f.page - 1) * d::inventory_page_size);
    const std::string today = date_of(ctx_.clock.now()).iso();
    for (const auto& r :
         ctx_.tx.query(std::string(summary_select) + sql + " ORDER BY a.review_due, a.reference LIMIT ? OFFSET ?", paged))
        out.rows.push_back(summary_of(r, today));
    if (!out.rows.empty()) {
        std::string ids;
        Params id_params;
        for (const auto& s : out.rows) ids += ids.empty() ? "?" : ", ?", id_params.emplace_back(s.id);
        add_parties_and_scopes(ctx_.tx, out.rows, ids, id_params);
    }
    return out;
}

Result<std::vector<AgreementParty>> AgreementRepo::parties_seen() const {
    auto where = inventory_where({});
    if (!where) return where.error();
    const auto& [sql, params] = *where;
    std::vector<AgreementParty> out;
    // Each organisation probed through agreement_parties_organisation (a few thousand index
    // lookups) rather than every party row of the area's agreements gathered and deduplicated.
    for (const auto& r : ctx_.tx.query("SELECT o.id, o.name_fr, o.name_en FROM organisations o WHERE EXISTS (SELECT 1 FROM "
                                       "agreement_parties p JOIN agreements a ON a.id = p.agreement_id " +
                                           sql + " AND p.organisation_id = o.id) ORDER BY o.name_en, o.id",
                                       params))
        out.push_back({r.i64(0), r.str(1), r.str(2), false});
    return out;
}

Result<CoverageReport> AgreementRepo::coverage() const {
    if (!ctx_.actor) return Error::forbidden();
    std::string area_filter;
    Params params;
    if (ctx_.actor->role == d::Role::ca_admin) {
        auto area = admin_area();
        if (!area) return area.error();
        area_filter = " AND o.sda_id = ?";
        params.emplace_back(*area);
    } else if (ctx_.actor->role != d::Role::ministry_analyst) {
        return Error::forbidden();
    }
    const Date today = date_of(ctx_.clock.now());
    CoverageReport out;
    std::map<std::pair<std::int64_t, std::string>, std::size_t> row_of;  // (organisation, kind) -> row
    for (const auto& r : ctx_.tx.query("SELECT o.id, o.name_fr, o.name_en, s.name_fr, s.name_en, c.csp_role FROM organisations o "
                                       "JOIN service_delivery_areas s ON s.id = o.sda_id JOIN organisation_csp_roles c ON "
                                       "c.organisation_id = o.id WHERE o.active = 1 AND c.csp_role IN ('csp_provider', "
                                       "'csp_participant')" +
                                           area_filter + " ORDER BY s.name_en, o.name_en, o.id, c.csp_role",
                                       params)) {
        const auto role = d::parse_csp_role(r.str(5));
        const auto kind = role ? d::required_agreement(*role) : std::nullopt;
        if (!kind) continue;
        CoverageRow row;
        row.organisation_id = r.i64(0);
        row.name_fr = r.str(1);
        row.name_en = r.str(2);
        row.area_fr = r.str(3);
        row.area_en = r.str(4);
        row.role = *role;
        row.required = *kind;
        row_of[{row.organisation_id, std::string(d::code(*kind))}] = out.rows.size();
        out.rows.push_back(std::move(row));
    }
    // Their agreements of the CSP kinds, the organisation a party.
    for (const auto& r : ctx_.tx.query("SELECT p.organisation_id, a.kind, a.id, a.reference, a.status, a.expires_on FROM "
                                       "agreement_parties p JOIN agreements a ON a.id = p.agreement_id JOIN organisations o ON "
                                       "o.id = p.organisation_id WHERE a.kind IN ('csp_provider', 'csp_participant')" +
                                           area_filter + " ORDER BY a.reference",
                                       params)) {
        auto it = row_of.find({r.i64(0), r.str(1)});
        if (it == row_of.end()) continue;
        out.rows[it->second].agreements.push_back(
            {r.i64(2), r.str(3), d::parse_agreement_status(r.str(4)).value_or(d::AgreementStatus::draft), r.str(5)});
    }
    for (auto& row : out.rows) {
        std::vector<d::CoverageInput> inputs;
        for (const auto& a : row.agreements) inputs.push_back({a.status, optional_date(a.expires_on)});
        row.state = d::coverage_state(inputs, today);
        (row.state == d::CoverageState::covered ? out.covered : out.gaps) += 1;
    }
    // Those needing action first, the worst first; the order above within each.
    std::stable_sort(out.rows.begin(), out.rows.end(), [](const CoverageRow& a, const CoverageRow& b) {
        auto rank = [](d::CoverageState s) { return s == d::CoverageState::covered ? 5 : 4 - static_cast<int>(s); };
        return rank(a.state) < rank(b.state);
    });
    // Agreements in force whose latest evaluation asks for a new agreement or a renegotiation.
    std::string flagged_where =
        "WHERE a.status IN ('active', 'under_review', 'renewed') AND (SELECT v.outcome FROM agreement_evaluations v WHERE "
        "v.agreement_id = a.id ORDER BY v.evaluated_on DESC, v.id DESC LIMIT 1) IN ('new_agreement_needed', 'renegotiate')";
    Params flagged_params;
    if (ctx_.actor->role == d::Role::ca_admin) {
        flagged_where += " AND a.sda_id = ?";
        flagged_params.push_back(params.front());
    }
    for (const auto& r :
         ctx_.tx.query(std::string(summary_select) + flagged_where + " ORDER BY a.review_due, a.reference", flagged_params))
        out.flagged.push_back(summary_of(r, today.iso()));
    if (!out.flagged.empty())
        add_parties_and_scopes(ctx_.tx, out.flagged, "SELECT a.id FROM agreements a " + flagged_where, flagged_params);
    return out;
}

Result<std::vector<PartyChoice>> AgreementRepo::party_choices() const {
    auto area = admin_area();
    if (!area) return area.error();
    std::vector<PartyChoice> out;
    for (const auto& r : ctx_.tx.query("SELECT id, name_fr, name_en FROM organisations WHERE active = 1 AND sda_id = ? "
                                       "ORDER BY name_en, id",
                                       {*area}))
        out.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

Result<void> AgreementRepo::check_parties(std::int64_t area, const d::AgreementTerms& terms,
                                          std::optional<std::int64_t> agreement) const {
    bool agency = false;
    for (auto id : terms.parties) {
        // An active organisation, or one already a party (deactivated since: it stays one).
        const auto row = ctx_.tx.query_one(
            "SELECT o.sda_id, CASE WHEN EXISTS (SELECT 1 FROM organisation_csp_roles c WHERE c.organisation_id = o.id "
            "AND c.csp_role = 'coordinating_agency') THEN 1 ELSE 0 END FROM organisations o WHERE o.id = ? AND (o.active = 1 "
            "OR EXISTS (SELECT 1 FROM agreement_parties p WHERE p.organisation_id = o.id AND p.agreement_id = ?))",
            {id, agreement.value_or(0)});
        if (!row) return Error::invalid_field("parties", "field.choose_from_list");
        // Another area's organisation would read the agreement and its documents while that
        // area's agency never sees it: an area's agreements are between its own organisations.
        if (row->i64(0) != area) return Error::invalid_field("parties", "agreement.party_other_area");
        agency = agency || row->boolean(1);
    }
    if (d::agency_is_party(terms.kind) && !agency) return Error::invalid_field("parties", "agreement.agency_party");
    return {};
}

void AgreementRepo::write_terms(std::int64_t id, const d::AgreementTerms& terms) {
    ctx_.tx.exec("DELETE FROM agreement_parties WHERE agreement_id = ?", {id});
    for (auto org : terms.parties)
        ctx_.tx.exec("INSERT INTO agreement_parties (agreement_id, organisation_id) VALUES (?, ?)", {id, org});
    ctx_.tx.exec("DELETE FROM agreement_scopes WHERE agreement_id = ?", {id});
    for (auto s : terms.scopes)
        ctx_.tx.exec("INSERT INTO agreement_scopes (agreement_id, scope) VALUES (?, ?)", {id, std::string(d::code(s))});
}

Result<std::int64_t> AgreementRepo::create(const d::AgreementTermsForm& form) {
    auto area = admin_area();
    if (!area) return area.error();
    d::AgreementTerms terms;
    if (auto e = d::validate(form, terms); !e.empty()) return Error::invalid(std::move(e));
    if (auto ok = check_parties(*area, terms); !ok) return ok.error();
    // References number the agreements of the year: "ENT-2026-0007" (entente, agreement).
    ctx_.tx.lock("agreements");
    const std::string now = format_iso(ctx_.clock.now());
    const std::string year = now.substr(0, 4);
    const auto n = ctx_.tx
                       .query_one(
                           "SELECT COALESCE(MAX(CAST(substr(reference, 10) AS INTEGER)), 0) FROM agreements WHERE "
                           "reference LIKE ?",
                           {"ENT-" + year + "-%"})
                       ->i64(0);
    std::string seq = std::to_string(n + 1);
    if (seq.size() < 4) seq.insert(0, 4 - seq.size(), '0');
    const auto row = ctx_.tx.query_one(
        "INSERT INTO agreements (sda_id, reference, title_fr, title_en, kind, summary, effective_on, expires_on, review_due, "
        "status, version, created_at, created_by, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', 1, ?, ?, ?, ?) RETURNING id",
        {*area, "ENT-" + year + "-" + seq, terms.title_fr, terms.title_en, std::string(d::code(terms.kind)), terms.summary,
         terms.effective_on.iso(), terms.expires_on ? terms.expires_on->iso() : std::string(), terms.review_due.iso(), now,
         ctx_.actor->user_id, now, ctx_.actor->user_id});
    const std::int64_t id = row->i64(0);
    write_terms(id, terms);
    record_event(id, now, "record", "draft", "");
    return id;
}

Result<Row> AgreementRepo::readable(std::int64_t id, bool& manager) const {
    if (!ctx_.actor) return Error::forbidden();
    std::optional<Row> row;
    manager = false;
    switch (ctx_.actor->role) {
        case d::Role::ca_admin: {
            auto area = admin_area();
            if (!area) return area.error();
            row = ctx_.tx.query_one(std::string(summary_select) + "WHERE a.id = ? AND a.sda_id = ?", {id, *area});
            manager = true;
            break;
        }
        case d::Role::provider_manager:
            row = ctx_.tx.query_one(std::string(summary_select) +
                                        "WHERE a.id = ? AND EXISTS (SELECT 1 FROM agreement_parties x WHERE x.agreement_id = "
                                        "a.id AND x.organisation_id = ?)",
                                    {id, ctx_.actor->organisation_id});
            break;
        case d::Role::ministry_analyst:
            row = ctx_.tx.query_one(std::string(summary_select) + "WHERE a.id = ?", {id});
            break;
        default:
            return Error::forbidden();
    }
    if (!row) return Error::not_found();
    return std::move(*row);
}

Result<AgreementRecord> AgreementRepo::agreement(std::int64_t id) const {
    bool manager = false;
    auto row = readable(id, manager);
    if (!row) return row.error();
    const Date today = date_of(ctx_.clock.now());
    AgreementRecord out;
    out.summary = summary_of(*row, today.iso());
    std::vector<AgreementSummary> one = {out.summary};
    add_parties_and_scopes(ctx_.tx, one, "?", {id});
    out.summary = std::move(one.front());
    const auto body = ctx_.tx.query_one("SELECT summary, version FROM agreements WHERE id = ?", {id});
    out.summary_text = body->str(0);
    out.version = static_cast<int>(body->i64(1));
    for (const auto& r : ctx_.tx.query("SELECT e.at, e.event, e.status, e.note, COALESCE(u.display_name, '') FROM "
                                       "agreement_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.agreement_id = ? "
                                       "ORDER BY e.id",
                                       {id}))
        out.events.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4)});
    for (const auto& r : ctx_.tx.query("SELECT id, evaluated_on, expected_results, indicators, findings, adjustments, outcome, "
                                       "next_review_due, created_at FROM agreement_evaluations WHERE agreement_id = ? "
                                       "ORDER BY evaluated_on DESC, id DESC",
                                       {id})) {
        d::Evaluation v;
        v.id = r.i64(0);
        v.evaluated_on = parse_date(r.str(1)).value_or(Date{});
        v.expected_results = r.str(2);
        v.indicators = r.str(3);
        v.findings = r.str(4);
        v.adjustments = r.str(5);
        v.outcome = d::parse_evaluation_outcome(r.str(6)).value_or(d::EvaluationOutcome::keep);
        v.next_review_due = optional_date(r.str(7));
        v.created_at = r.str(8);
        out.evaluations.push_back(std::move(v));
    }
    for (const auto& r : ctx_.tx.query("SELECT d.id, d.kind, d.filename, d.content_type, d.size, d.checksum, d.uploaded_at, "
                                       "COALESCE(u.display_name, '') FROM agreement_documents d LEFT JOIN users u ON u.id = "
                                       "d.uploaded_by WHERE d.agreement_id = ? ORDER BY d.id",
                                       {id}))
        out.documents.push_back({r.i64(0), d::parse_document_kind(r.str(1)).value_or(d::DocumentKind::other), r.str(2), r.str(3),
                                 r.i64(4), r.str(5), r.str(6), r.str(7)});
    if (manager) {
        const auto facts = d::agreement_facts(optional_date(out.summary.expires_on), today);
        out.available = d::agreement_lifecycle().available(out.summary.status, d::Relationship::coordinating_agency, facts);
        out.may_edit = d::terms_editable(out.summary.status);
    }
    return out;
}

Result<std::pair<std::int64_t, std::string>> AgreementRepo::open_for_change(std::int64_t id) const {
    auto area = admin_area();
    if (!area) return area.error();
    const auto row = ctx_.tx.query_one("SELECT status FROM agreements WHERE id = ? AND sda_id = ?", {id, *area});
    if (!row) return Error::not_found();
    const auto status = d::parse_agreement_status(row->str(0));
    if (!status) return Error::internal();
    if (!d::terms_editable(*status)) return Error::conflict("agreement.closed");
    return std::pair{*area, row->str(0)};
}

bool AgreementRepo::still_in(std::int64_t id, const std::string& status, const std::string& now) {
    return ctx_.tx.exec("UPDATE agreements SET updated_at = ?, updated_by = ? WHERE id = ? AND status = ?",
                        {now, ctx_.actor->user_id, id, status}) == 1;
}

void AgreementRepo::record_event(std::int64_t id, const std::string& now, std::string_view event, const std::string& status,
                                 const std::string& note) {
    ctx_.tx.exec("INSERT INTO agreement_events (agreement_id, at, user_id, event, status, note) VALUES (?, ?, ?, ?, ?, ?)",
                 {id, now, ctx_.actor->user_id, std::string(event), status, note});
}

Result<void> AgreementRepo::update(std::int64_t id, int version, const d::AgreementTermsForm& form) {
    auto open = open_for_change(id);
    if (!open) return open.error();
    const auto& [area, status] = *open;
    d::AgreementTerms terms;
    if (auto e = d::validate(form, terms); !e.empty()) return Error::invalid(std::move(e));
    if (auto ok = check_parties(area, terms, id); !ok) return ok.error();
    const std::string now = format_iso(ctx_.clock.now());
    const auto changed = ctx_.tx.exec(
        "UPDATE agreements SET title_fr = ?, title_en = ?, kind = ?, summary = ?, effective_on = ?, expires_on = ?, "
        "review_due = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ? AND status = ?",
        {terms.title_fr, terms.title_en, std::string(d::code(terms.kind)), terms.summary, terms.effective_on.iso(),
         terms.expires_on ? terms.expires_on->iso() : std::string(), terms.review_due.iso(), now, ctx_.actor->user_id, id,
         static_cast<std::int64_t>(version), status});
    if (changed != 1) return Error::conflict("agreement.changed_meanwhile");
    write_terms(id, terms);
    record_event(id, now, "amend", status, "");
    return {};
}

Result<d::AgreementStatus> AgreementRepo::fire(std::int64_t id, d::AgreementEvent event, const std::string& note,
                                               const d::RenewalForm& renewal) {
    auto area = admin_area();
    if (!area) return area.error();
    const auto row = ctx_.tx.query_one(
        "SELECT status, expires_on, effective_on, version FROM agreements WHERE id = ? AND sda_id = ?", {id, *area});
    if (!row) return Error::not_found();
    const auto from = d::parse_agreement_status(row->str(0));
    if (!from) return Error::internal();
    const Date today = date_of(ctx_.clock.now());
    const auto expiry = optional_date(row->str(1));
    std::vector<FieldError> errors;
    std::string reason;
    d::long_text(errors, "note", note, d::max_transition_note_length, event == d::AgreementEvent::terminate, reason);
    std::vector<std::pair<std::string_view, Value>> also;
    if (event == d::AgreementEvent::renew) {
        d::Renewal r;
        for (auto& e : d::validate(renewal, expiry, today, r)) errors.push_back(std::move(e));
        // An agreement activated before it took effect: its review still comes after that.
        if (errors.empty() && r.expires_on.iso() <= row->str(2))
            errors.push_back({"expires_on", "agreement.expiry_before_effective", {}});
        else if (errors.empty() && r.review_due.iso() < row->str(2))
            errors.push_back({"review_due", "agreement.review_before_effective", {}});
        if (errors.empty()) {
            also.emplace_back("expires_on", r.expires_on.iso());
            also.emplace_back("review_due", r.review_due.iso());

            if (reason.empty()) reason = r.expires_on.iso();
        }
    }
    // The table's refusal comes first: a form's errors mean nothing for a move not allowed.
    const auto facts = d::agreement_facts(expiry, today);
    if (auto allowed = d::agreement_lifecycle().fire(*from, event, d::Relationship::coordinating_agency, facts); !allowed)
        return allowed.error();
    if (!errors.empty()) return Error::invalid(std::move(errors));
    also.emplace_back("updated_by", ctx_.actor->user_id);
    auto moved =
        fire_transition(ctx_.tx, ctx_.clock, agreement_tables, d::agreement_lifecycle(), id, *from, event,
                        d::Relationship::coordinating_agency, facts, ctx_.actor->user_id, std::move(reason), std::move(also));
    // New dates: a terms form opened before the renewal is out of date (the row is ours now).
    if (moved && event == d::AgreementEvent::renew)
        ctx_.tx.exec("UPDATE agreements SET version = version + 1 WHERE id = ?", {id});
    return moved;
}

Result<std::int64_t> AgreementRepo::add_evaluation(std::int64_t id, const d::EvaluationForm& form) {
    auto open = open_for_change(id);
    if (!open) return open.error();
    const std::string status = open->second;
    d::Evaluation v;
    if (auto e = d::validate(form, date_of(ctx_.clock.now()), v); !e.empty()) return Error::invalid(std::move(e));
    const std::string now = format_iso(ctx_.clock.now());
    if (!still_in(id, status, now)) return Error::conflict("agreement.closed");
    if (v.next_review_due) {
        // Not a status: the date of the next follow-up, within the agreement's dates. New dates:
        // a terms form opened before is out of date (version).
        const auto next = v.next_review_due->iso();
        const auto changed = ctx_.tx.exec(
            "UPDATE agreements SET review_due = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND "
            "effective_on <= ? AND (expires_on = '' OR expires_on >= ?)",
            {next, now, ctx_.actor->user_id, id, next, next});
        if (changed != 1) {
            const auto dates = ctx_.tx.query_one("SELECT effective_on FROM agreements WHERE id = ?", {id});
            return Error::invalid_field("next_review_due", dates && next < dates->str(0) ? "agreement.review_before_effective"
                                                                                         : "agreement.review_after_expiry");
        }
    }
    record_event(id, now, "evaluate", status, std::string(d::code(v.outcome)));
    const auto inserted = ctx_.tx.query_one(
        "INSERT INTO agreement_evaluations (agreement_id, evaluated_on, expected_results, indicators, findings, adjustments, "
        "outcome, next_review_due, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {id, v.evaluated_on.iso(), v.expected_results, v.indicators, v.findings, v.adjustments, std::string(d::code(v.outcome)),
         v.next_review_due ? v.next_review_due->iso() : std::string(), now, ctx_.actor->user_id});
    return inserted->i64(0);
}

Result<std::int64_t> AgreementRepo::add_document(std::int64_t id, const d::DocumentUpload& upload) {
    auto open = open_for_change(id);
    if (!open) return open.error();
    const std::string status = open->second;
    d::DocumentCheck checked;
    if (auto e = d::validate(upload, checked); !e.empty()) return Error::invalid(std::move(e));
    const std::string now = format_iso(ctx_.clock.now());
    if (!still_in(id, status, now)) return Error::conflict("agreement.closed");
    record_event(id, now, "document", status, checked.filename);
    const auto inserted = ctx_.tx.query_one(
        "INSERT INTO agreement_documents (agreement_id, kind, filename, content_type, size, checksum, content, uploaded_at, "
        "uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {id, std::string(d::code(checked.kind)), checked.filename, checked.content_type,
         static_cast<std::int64_t>(upload.data.size()), hash_token(upload.data), base64url(upload.data), now,
         ctx_.actor->user_id});
    return inserted->i64(0);
}

Result<DocumentFile> AgreementRepo::document(std::int64_t id, std::int64_t document_id) const {
    bool manager = false;
    if (auto row = readable(id, manager); !row) return row.error();
    const auto doc = ctx_.tx.query_one(
        "SELECT filename, content_type, content, checksum FROM agreement_documents WHERE id = ? AND agreement_id = ?",
        {document_id, id});
    if (!doc) return Error::not_found();
    auto data = from_base64url(doc->str(2));
    // Bytes that are not what was stored: never served.
    if (!data || hash_token(*data) != doc->str(3)) return Error::internal();
    return DocumentFile{doc->str(0), doc->str(1), std::move(*data)};
}

int raise_agreement_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                              bool email) {
    const Date today = date_of(clock.now());
    NotificationRepo notes(tx, clock, catalogue, public_base_url);
    int written = 0;
    // Only what may be due: in force, review or expiry within the longer of the two windows.
    const std::string horizon = add_days(today, std::max(d::review_reminder_days, d::expiry_reminder_days)).iso();
    for (const auto& r : tx.query("SELECT a.id, a.sda_id, a.reference, a.title_fr, a.title_en, a.status, a.review_due, "
                                  "a.expires_on FROM agreements a WHERE a.status IN ('active', 'under_review', 'renewed') "
                                  "AND (a.review_due <= ? OR (a.expires_on <> '' AND a.expires_on <= ?)) ORDER BY a.id",
                                  {horizon, horizon})) {
        const auto status = d::parse_agreement_status(r.str(5));
        const auto review = parse_date(r.str(6));
        const auto expiry = optional_date(r.str(7));
        if (!status || !review) continue;
        // The area's coordinating agency administrators.
        std::vector<std::int64_t> users;
        for (const auto& u : tx.query("SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id AND "
                                      "u.active = 1 JOIN organisations o ON o.id = m.organisation_id AND o.active = 1 WHERE "
                                      "o.sda_id = ? AND m.active = 1 AND m.role = 'ca_admin' ORDER BY m.user_id",
                                      {r.i64(1)}))
            users.push_back(u.i64(0));
        const std::string id = std::to_string(r.i64(0)), link = "/agreements/" + id;
        const std::string reference = r.str(2), title_fr = r.str(3), title_en = r.str(4);
        if (d::review_reminder_due(*status, *review, today)) {
            written += notes.notify(users, {d::NoticeKind::agreement,
                                            reference,
                                            link,
                                            "agreement.reminder.review",
                                            {reference, title_fr, review->iso()},
                                            {reference, title_en, review->iso()},
                                            "agreement-review:" + id + ":" + review->iso(),
                                            email});
        }
        if (d::expiry_reminder_due(*status, expiry, today)) {
            written += notes.notify(users, {d::NoticeKind::agreement,
                                            reference,
                                            link,
                                            "agreement.reminder.expiry",
                                            {reference, title_fr, expiry->iso()},
                                            {reference, title_en, expiry->iso()},
                                            "agreement-expiry:" + id + ":" + expiry->iso(),
                                            email});
        }
    }
    return written;
}

}  // namespace arrimage::store
