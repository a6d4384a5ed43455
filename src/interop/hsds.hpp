#pragma once
// Open Referral HSDS 3.0 for the service directory: a bilingual snapshot of the public
// directory (active services of active organisations), its HSDS JSON form (one language per
// record: `lang` picks the values of name, description..., the other language's name goes in
// alternate_name), deterministic UUIDv5 ids, and HSDS paging. See docs/HSDS.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/i18n.hpp"
#include "store/db.hpp"

namespace arrimage::interop {

struct DirOrganisation {
    std::int64_t id = 0;
    std::string name_fr, name_en, email, phone, website;
    bool fls_designated = false;
};

struct DirLocation {
    std::int64_t id = 0;  // site id
    std::int64_t organisation_id = 0;
    std::string name_fr, name_en, address, city, postal_code, phone;
    std::string hours_fr, hours_en, accessibility_fr, accessibility_en;
    bool step_free_access = false;
};

struct DirService {
    std::int64_t id = 0;
    std::int64_t organisation_id = 0;
    std::string name_fr, name_en, description_fr, description_en, eligibility_fr, eligibility_en;
    std::optional<std::int64_t> age_min, age_max;
    std::string area_served_fr, area_served_en, access_fr, access_en, intake_fr, intake_en, fees_fr, fees_en;
    std::string contact_name, email, phone, website;
    bool fls_designated = false;
    std::string waitlist_status;  // open, waitlist, closed
    std::optional<std::int64_t> wait_weeks;
    std::string waitlist_updated_at;
    std::vector<std::string> categories;  // taxonomy codes, sorted
    std::vector<std::string> languages;   // sorted
    std::vector<std::int64_t> site_ids;   // sorted
};

struct DirTerm {
    std::int64_t id = 0;
    std::string code, name_fr, name_en;
};

struct DirectorySnapshot {
    std::vector<DirOrganisation> organisations;  // by id
    std::vector<DirLocation> locations;          // by id
    std::vector<DirService> services;            // by id
    std::vector<DirTerm> terms;                  // active, display order
};

// Active services of active organisations, their active locations, those organisations, and
// the active taxonomy: a fixed number of queries whatever the size.
DirectorySnapshot load_directory(store::Tx& tx);

// ---- HSDS JSON (one language per record)

// The taxonomy of categories and its id.
inline constexpr const char* hsds_taxonomy_name = "arrimage-directory";
std::string category_taxonomy_id();

nlohmann::json hsds_organization(const DirOrganisation& o, Lang lang);
nlohmann::json hsds_location(const DirLocation& l, Lang lang);
nlohmann::json hsds_service(const DirService& s, const DirectorySnapshot& d, Lang lang);
nlohmann::json hsds_service_at_location(const DirService& s, const DirLocation& l, Lang lang);
nlohmann::json hsds_taxonomy(Lang lang);
nlohmann::json hsds_taxonomy_term(const DirTerm& t, Lang lang);

// The wait time text of a service: "" when open, "12 weeks"/"12 semaines" on a waitlist.
std::string hsds_wait_time(const DirService& s, Lang lang);
// HSDS service status: "active", or "temporarily closed" when the waitlist is closed.
std::string hsds_status(const DirService& s);

// HSDS paging over `items`: {total_items, total_pages, page_number, size, first_page,
// last_page, empty, contents}. `page` is 1-based; pages past the end are empty.
nlohmann::json hsds_page(const std::vector<nlohmann::json>& items, std::int64_t page, std::int64_t per_page);

}  // namespace arrimage::interop
