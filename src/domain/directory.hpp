#pragma once
// The service directory: services (programs) of organisations, their locations, waitlists,
// referral pathways per service delivery area, and public search filters. Validation of what
// staff and visitors type (field errors with catalogue keys) and who may change what. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "domain/access.hpp"
#include "domain/search_text.hpp"

namespace arrimage::domain {

// After this many days without confirmation a service's waitlist is shown as possibly out of
// date and its organisation is reminded. The server's --directory-stale-days would override it.
inline constexpr int default_directory_stale_days = 30;
inline constexpr int max_wait_weeks = 260;  // five years: anything longer is a typing error
inline constexpr int max_age_years = 120;

// Catalogue keys: "waitlist.status.<code>", "pathway.mechanism.<code>", "service.language.<code>".
enum class WaitlistStatus { open, waitlist, closed };
enum class AccessMechanism { single_window, direct_intake, professional_referral };
enum class SearchSort { relevance, name, wait, updated };

const std::vector<WaitlistStatus>& all_waitlist_statuses();
const std::vector<AccessMechanism>& all_access_mechanisms();
const std::vector<SearchSort>& all_search_sorts();
std::string_view code(WaitlistStatus s);
std::string_view code(AccessMechanism m);
std::string_view code(SearchSort s);
std::optional<WaitlistStatus> parse_waitlist_status(std::string_view s);
std::optional<AccessMechanism> parse_access_mechanism(std::string_view s);
std::optional<SearchSort> parse_search_sort(std::string_view s);
// Languages a service can be offered in (ISO 639 codes, plus asl and lsq for sign languages).
const std::vector<std::string_view>& service_languages();
bool valid_taxonomy_code(std::string_view s);  // the shape of a code; the store checks it exists

// ---- services

struct ServiceForm {
    std::string name_fr, name_en, description_fr, description_en, eligibility_fr, eligibility_en;
    std::string age_min, age_max, area_served_fr, area_served_en;
    std::string access_fr, access_en, intake_fr, intake_en, fees_fr, fees_en;
    std::string contact_name, email, phone, website;
    std::vector<std::string> categories, languages, locations;
    bool fls_designated = false;
    // Only when creating: the first waitlist status.
    std::string waitlist_status, wait_weeks;
};

struct Waitlist {
    WaitlistStatus status = WaitlistStatus::open;
    std::optional<int> wait_weeks;  // set exactly when status is waitlist
};

struct Service {
    std::string name_fr, name_en, description_fr, description_en, eligibility_fr, eligibility_en;
    std::optional<int> age_min, age_max;
    std::string area_served_fr, area_served_en, access_fr, access_en, intake_fr, intake_en, fees_fr, fees_en;
    std::string contact_name, email, phone, website;
    std::vector<std::string> category_codes;
    std::vector<std::string> languages;
    std::vector<std::int64_t> site_ids;  // locations: sites of the same organisation
    bool fls_designated = false;
    Waitlist waitlist;
};

// `creating`: the form also carries the first waitlist status.
std::vector<FieldError> validate(const ServiceForm& in, Service& out, bool creating);

struct WaitlistForm {
    std::string status, wait_weeks;
};
std::vector<FieldError> validate(const WaitlistForm& in, Waitlist& out);

// ---- locations (an organisation's sites, with what the directory shows about them)

struct LocationForm {
    std::string name_fr, name_en, address, city, postal_code, phone;
    std::string hours_fr, hours_en, accessibility_fr, accessibility_en;
    bool step_free_access = false;
};
struct Location {
    std::string name_fr, name_en, address, city, postal_code, phone;
    std::string hours_fr, hours_en, accessibility_fr, accessibility_en;
    bool step_free_access = false;
};
std::vector<FieldError> validate(const LocationForm& in, Location& out);

// ---- referral pathways: for a need (taxonomy term) or a sector in an SDA, which service or
// organisation to go through and how.

struct PathwayForm {
    std::string sda_id, need, sector, mechanism, service_id, organisation_id, notes_fr, notes_en;
};
struct Pathway {
    std::int64_t sda_id = 0;
    std::optional<std::string> need;    // taxonomy code
    std::optional<std::string> sector;  // Sector code
    AccessMechanism mechanism = AccessMechanism::direct_intake;
    std::optional<std::int64_t> service_id, organisation_id;
    std::string notes_fr, notes_en;
};
std::vector<FieldError> validate(const PathwayForm& in, Pathway& out);

// ---- public search

struct SearchForm {
    std::string q, area, category, age, language, wait, fls, sort, page;
};
struct SearchFilters {
    std::string text;
    SearchQuery query;
    std::optional<std::int64_t> sda_id;
    std::optional<std::string> category;
    std::optional<int> age;
    std::optional<std::string> language;
    bool open_only = false;
    std::optional<int> max_wait_weeks;  // open, or on a waitlist of at most this many weeks
    bool fls_only = false;
    SearchSort sort = SearchSort::relevance;
    int page = 1;
};
std::vector<FieldError> validate(const SearchForm& in, SearchFilters& out);

// ---- time

// True when the waitlist was last confirmed more than `stale_days` days before `now`.
bool waitlist_is_stale(TimePoint updated_at, TimePoint now, int stale_days);

// ---- who may change what

// Describe an organisation's services, locations and waitlists: its provider managers, the
// coordinating-agency administrators of its SDA, system administrators.
bool can_manage_directory(const Principal& p, std::int64_t organisation_id, std::int64_t sda_id);
// Anyone who manages the directory of at least one organisation.
bool can_manage_any_directory(const Principal& p);
// Create and change referral pathways of an SDA.
bool can_manage_pathways(const Principal& p, std::int64_t sda_id);
// Read the pathways of an SDA: its staff (any role in one of its organisations).
bool can_view_pathways(const Principal& p, std::int64_t sda_id);

}  // namespace arrimage::domain
