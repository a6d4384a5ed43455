#pragma once
// Open Referral HSDS 3.0 for the service directory: a bilingual snapshot of the public
// directory (active services of active organisations), its HSDS JSON form (one language per
// record: `lang` picks the values of name, description..., the other language's name goes in
// alternate_name), deterministic UUIDv5 ids, and HSDS paging. See docs/HSDS.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// Part of the public directory, for the paged API: the services with ids in [first, last]
// (with their organisations and locations), the organisations with ids in [first, last]
// (with their locations, without services), or the locations (sites) with ids in [first, last]
// (with their organisations, without services). A page in id order is such a range, so a request
// reads only what it returns, whatever the size of the directory. Terms are always loaded.
struct DirectoryRange {
    enum class Kind { services, organisations, locations } kind = Kind::services;
    std::int64_t first = 0, last = 0;
};
DirectorySnapshot load_directory(store::Tx& tx, const DirectoryRange& range);

// A page of public ids in id order and how many there are in all: services (active, of an
// active organisation), organisations (active), locations (active sites of active
// organisations), or service-at-location links (service id, site id) of public services and
// active sites.
struct IdPage {
    std::vector<std::int64_t> ids;
    std::int64_t total = 0;
};
IdPage public_service_ids(store::Tx& tx, std::int64_t page, std::int64_t per_page);
IdPage public_organisation_ids(store::Tx& tx, std::int64_t page, std::int64_t per_page);
IdPage public_location_ids(store::Tx& tx, std::int64_t page, std::int64_t per_page);
struct LinkPage {
    std::vector<std::pair<std::int64_t, std::int64_t>> links;  // (service id, site id)
    std::int64_t total = 0;
};
LinkPage public_service_locations(store::Tx& tx, std::int64_t page, std::int64_t per_page);

// The local id behind an HSDS id of `kind` ("service", "organization", "location"), found by
// deriving the id of each public record of that kind (UUIDv5 cannot be reversed; this reads
// one integer column). Empty when no public record has that id.
std::optional<std::int64_t> find_public_id(store::Tx& tx, std::string_view kind, const std::string& hsds_uuid);
// The (service id, site id) behind a service_at_location id.
std::optional<std::pair<std::int64_t, std::int64_t>> find_public_link(store::Tx& tx, const std::string& hsds_uuid);

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
// The same envelope around one page already cut by the database (`total` items in all).
nlohmann::json hsds_page_of(std::vector<nlohmann::json> contents, std::int64_t total, std::int64_t page, std::int64_t per_page);

}  // namespace arrimage::interop
