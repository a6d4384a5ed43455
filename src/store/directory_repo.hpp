#pragma once
// The service directory: the taxonomy, services and their categories, languages and
// locations (the organisations' sites with directory details), waitlists and their history,
// public search, and referral pathways. Written once in portable SQL; only full-text search
// differs by dialect (FTS5 and bm25 on SQLite, a GIN-indexed tsvector and ts_rank on
// PostgreSQL) and both are fed the same normalised text (domain/search_text.hpp).
// Administrative changes are recorded in admin_audit in the same transaction. Directory
// records are public information; who may change them is checked by the caller with
// domain/directory.hpp.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/result.hpp"
#include "domain/directory.hpp"
#include "store/db.hpp"

namespace arrimage::store {

struct TaxonomyTermRow {
    std::int64_t id = 0;
    std::string code, name_fr, name_en;
};

struct ServiceRow {
    std::int64_t id = 0;
    std::int64_t organisation_id = 0;
    std::int64_t sda_id = 0;
    std::string org_name_fr, org_name_en;
    bool org_active = true;
    std::string name_fr, name_en, description_fr, description_en, eligibility_fr, eligibility_en;
    std::optional<std::int64_t> age_min, age_max;
    std::string area_served_fr, area_served_en, access_fr, access_en, intake_fr, intake_en, fees_fr, fees_en;
    bool fls_designated = false;
    std::string contact_name, email, phone, website;
    std::string waitlist_status;
    std::optional<std::int64_t> wait_weeks;
    std::string waitlist_updated_at;
    bool active = true;
    std::vector<TaxonomyTermRow> categories;
    std::vector<std::string> languages;
    std::vector<std::int64_t> site_ids;
};

struct LocationRow {
    std::int64_t site_id = 0;
    std::int64_t organisation_id = 0;
    std::string name_fr, name_en, address, city, postal_code;
    bool active = true;
    std::string phone, hours_fr, hours_en, accessibility_fr, accessibility_en;
    bool step_free_access = false;
};

// One search result.
struct ServiceSummary {
    std::int64_t id = 0;
    std::string name_fr, name_en, description_fr, description_en, org_name_fr, org_name_en;
    std::string waitlist_status;
    std::optional<std::int64_t> wait_weeks;
    std::string waitlist_updated_at;
    bool fls_designated = false;
    std::vector<std::string> cities, languages;
};

// Searches count at most this many matches: beyond it the page says "more than 1,000" and
// asks for more words or filters (counting every match of a common word costs as much as the
// search itself).
inline constexpr std::int64_t search_count_cap = 1000;

struct SearchResults {
    std::vector<ServiceSummary> services;  // the requested page
    std::int64_t total = 0;                // all matches, at most search_count_cap
    bool more = false;                     // there are more than search_count_cap matches
};

struct StaleService {
    std::int64_t id = 0;
    std::int64_t organisation_id = 0;
    std::string name_fr, name_en, waitlist_updated_at;
};

// A service in a list of choices (pathway targets).
struct ServiceChoice {
    std::int64_t id = 0;
    std::int64_t organisation_id = 0;
    std::int64_t sda_id = 0;
    std::string name_fr, name_en, org_name_fr, org_name_en;
};

struct PathwayRow {
    std::int64_t id = 0;
    std::int64_t sda_id = 0;
    std::string sda_code, need_code, need_name_fr, need_name_en, sector, mechanism;
    std::optional<std::int64_t> service_id, organisation_id;
    std::string service_name_fr, service_name_en;
    std::string org_name_fr, org_name_en;  // the organisation, or the service's organisation
    std::string notes_fr, notes_en;
    bool active = true;
    // Who receives a referral along the pathway: its organisation, else its service's; and
    // whether that organisation (and the service, if any) is active.
    std::int64_t receiving_organisation_id = 0;
    bool target_active = true;
};

class DirectoryRepo {
  public:
    DirectoryRepo(Tx& tx, const Clock& clock) : tx_(tx), clock_(clock) {}

    std::vector<TaxonomyTermRow> taxonomy();  // active terms in display order

    std::vector<ServiceRow> list_services(std::int64_t organisation_id);  // active and inactive
    std::optional<ServiceRow> find_service(std::int64_t id);
    // Unknown categories and locations that are not active sites of the organisation are field
    // errors; nothing is written then.
    Result<std::int64_t> create_service(std::int64_t organisation_id, const domain::Service& in, std::int64_t actor);
    // Everything but the waitlist, which has its own operation.
    Result<void> update_service(std::int64_t id, const domain::Service& in, std::int64_t actor);
    Result<void> set_service_active(std::int64_t id, bool active, std::int64_t actor);
    // Also a confirmation: the "last updated" time moves even when nothing else changes.
    Result<void> update_waitlist(std::int64_t id, const domain::Waitlist& in, std::int64_t actor);

    std::vector<LocationRow> list_locations(std::int64_t organisation_id, bool include_inactive);
    std::vector<LocationRow> service_locations(std::int64_t service_id);  // active sites only
    std::optional<LocationRow> find_location(std::int64_t site_id);
    Result<std::int64_t> create_location(std::int64_t organisation_id, const domain::Location& in, std::int64_t actor);
    Result<void> update_location(std::int64_t site_id, const domain::Location& in, std::int64_t actor);
    Result<void> set_location_active(std::int64_t site_id, bool active, std::int64_t actor);

    // Active services of active organisations matching every filter; names sort in `lang`.
    SearchResults search(const domain::SearchFilters& f, Lang lang, int page_size);
    // The result rows of these services, in this order (a page of ranked ids; the search index
    // ranks in memory and reads its page here).
    std::vector<ServiceSummary> summaries(const std::vector<std::int64_t>& ids);

    // Active services whose waitlist was last confirmed more than `stale_days` before `now`,
    // oldest first. `unreminded_only`: those not reminded about since their last update.
    std::vector<StaleService> stale_services(std::optional<std::int64_t> organisation_id, TimePoint now, int stale_days,
                                             bool unreminded_only = false);
    void mark_reminded(std::int64_t service_id);

    // `sda_ids`: the SDAs the viewer may see; nullopt for all.
    std::vector<PathwayRow> list_pathways(const std::optional<std::vector<std::int64_t>>& sda_ids, bool include_inactive);
    std::optional<PathwayRow> find_pathway(std::int64_t id);
    Result<std::int64_t> create_pathway(const domain::Pathway& in, std::int64_t actor);
    Result<void> update_pathway(std::int64_t id, const domain::Pathway& in, std::int64_t actor);
    Result<void> set_pathway_active(std::int64_t id, bool active, std::int64_t actor);
    // Active services of active organisations in these SDAs, for choosing a pathway target.
    std::vector<ServiceChoice> services_in_sdas(const std::vector<std::int64_t>& sda_ids);

    // Recomputes the stored search text and the service's search row (after an organisation,
    // site or taxonomy change made elsewhere).
    void reindex_service(std::int64_t id);
    void reindex_organisation(std::int64_t organisation_id);
    void reindex_all();
    // Rewrites the narrow rows the search filters and sorts read (service_search) from the
    // services and organisations rows: public (service and organisation active), SDA, ages,
    // FLS, waitlist and sort keys.
    void refresh_search_row(std::int64_t id);
    void refresh_organisation_search_rows(std::int64_t organisation_id);

  private:
    std::string now() const;
    void audit(std::int64_t actor, std::string_view action, std::string_view entity, std::int64_t id);
    std::vector<FieldError> check_service(std::int64_t organisation_id, const domain::Service& in,
                                          std::vector<std::int64_t>& term_ids);
    void write_links(std::int64_t id, const domain::Service& in, const std::vector<std::int64_t>& term_ids);
    std::vector<FieldError> check_pathway(const domain::Pathway& in, std::optional<std::int64_t>& term_id);
    Tx& tx_;
    const Clock& clock_;
};

}  // namespace arrimage::store
