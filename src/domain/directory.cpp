#include "domain/directory.hpp"

#include <algorithm>
#include <charconv>

#include "core/text.hpp"
#include "domain/identity.hpp"
#include "domain/named.hpp"

namespace arrimage::domain {

namespace {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

constexpr Named<WaitlistStatus> status_names[] = {
    {WaitlistStatus::open, "open"}, {WaitlistStatus::waitlist, "waitlist"}, {WaitlistStatus::closed, "closed"}};
constexpr Named<AccessMechanism> mechanism_names[] = {{AccessMechanism::single_window, "single_window"},
                                                      {AccessMechanism::direct_intake, "direct_intake"},
                                                      {AccessMechanism::professional_referral, "professional_referral"}};
constexpr Named<SearchSort> sort_names[] = {{SearchSort::relevance, "relevance"},
                                            {SearchSort::name, "name"},
                                            {SearchSort::wait, "wait"},
                                            {SearchSort::updated, "updated"}};

// Trimmed, valid UTF-8, at most `max` characters, no control characters except, when
// `multiline`, line breaks and tabs (CR LF is stored as LF).
void text(std::vector<FieldError>& errors, const char* field, const std::string& raw, std::size_t max, bool required,
          bool multiline, std::string& out) {
    out = trim(raw);
    if (multiline) {
        std::string lf;
        for (std::size_t i = 0; i < out.size(); ++i)
            if (!(out[i] == '\r' && i + 1 < out.size() && out[i + 1] == '\n')) lf.push_back(out[i] == '\r' ? '\n' : out[i]);
        out = std::move(lf);
    }
    auto control = [multiline](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || u == 0x7F;
    };
    if (!valid_utf8(out))
        errors.push_back({field, "field.invalid_text", {}});
    else if (out.empty()) {
        if (required) errors.push_back({field, "field.required", {}});
    } else if (utf8_length(out) > max)
        errors.push_back({field, "field.too_long", {std::to_string(max)}});
    else if (std::any_of(out.begin(), out.end(), control))
        errors.push_back({field, "field.invalid_text", {}});
}

std::optional<int> parse_int(std::string_view s) {
    int v = 0;
    if (s.empty() || s.size() > 9) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// An optional whole number in [lo, hi]; `message` names the range.
void bounded(std::vector<FieldError>& errors, const char* field, const std::string& raw, int lo, int hi, const char* message,
             std::optional<int>& out) {
    out.reset();
    const std::string s = trim(raw);
    if (s.empty()) return;
    auto v = parse_int(s);
    if (!v || *v < lo || *v > hi)
        errors.push_back({field, message, {std::to_string(hi)}});
    else
        out = *v;
}

void contact(std::vector<FieldError>& e, const ServiceForm& in, Service& out) {
    text(e, "contact_name", in.contact_name, 120, false, false, out.contact_name);
    check_name(e, "contact_name", out.contact_name);
    out.email = ascii_lower(trim(in.email));
    if (!out.email.empty() && (!valid_utf8(out.email) || !plausible_email(out.email))) e.push_back({"email", "field.email", {}});
    const std::string phone = trim(in.phone);
    out.phone.clear();
    if (!phone.empty()) {
        if (auto p = normalise_phone(phone))
            out.phone = *p;
        else
            e.push_back({"phone", "field.phone", {}});
    }
    text(e, "website", in.website, 300, false, false, out.website);
    if (!out.website.empty() && out.website.rfind("https://", 0) != 0 && out.website.rfind("http://", 0) != 0)
        e.push_back({"website", "field.url", {}});
}

}  // namespace

const std::vector<WaitlistStatus>& all_waitlist_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
const std::vector<AccessMechanism>& all_access_mechanisms() {
    static const auto v = values_of(mechanism_names);
    return v;
}
const std::vector<SearchSort>& all_search_sorts() {
    static const auto v = values_of(sort_names);
    return v;
}
std::string_view code(WaitlistStatus s) {
    return code_of(status_names, s);
}
std::string_view code(AccessMechanism m) {
    return code_of(mechanism_names, m);
}
std::string_view code(SearchSort s) {
    return code_of(sort_names, s);
}
std::optional<WaitlistStatus> parse_waitlist_status(std::string_view s) {
    return parse_of(status_names, s);
}
std::optional<AccessMechanism> parse_access_mechanism(std::string_view s) {
    return parse_of(mechanism_names, s);
}
std::optional<SearchSort> parse_search_sort(std::string_view s) {
    return parse_of(sort_names, s);
}

const std::vector<std::string_view>& service_languages() {
    static const std::vector<std::string_view> v = {"fr", "en", "asl", "lsq", "ar", "zh", "es", "pt",
                                                    "fa", "pa", "so",  "tl",  "uk", "oj", "cr", "iu"};
    return v;
}

bool valid_taxonomy_code(std::string_view s) {
    return !s.empty() && s.size() <= 40 &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::vector<FieldError> validate(const WaitlistForm& in, Waitlist& out) {
    std::vector<FieldError> e;
    const auto status = parse_waitlist_status(trim(in.status));
    if (!status)
        e.push_back({"waitlist_status", "field.choose_one", {}});
    else
        out.status = *status;
    const std::string weeks = trim(in.wait_weeks);
    out.wait_weeks.reset();
    if (status == WaitlistStatus::waitlist) {
        if (weeks.empty()) {
            e.push_back({"wait_weeks", "waitlist.weeks_required", {}});
        } else {
            auto w = parse_int(weeks);
            if (!w || *w < 1 || *w > max_wait_weeks)
                e.push_back({"wait_weeks", "waitlist.weeks_range", {std::to_string(max_wait_weeks)}});
            else
                out.wait_weeks = *w;
        }
    } else if (status && !weeks.empty()) {
        e.push_back({"wait_weeks", "waitlist.weeks_only_waitlist", {}});
    }
    return e;
}

std::vector<FieldError> validate(const ServiceForm& in, Service& out, bool creating) {
    std::vector<FieldError> e;
    text(e, "name_fr", in.name_fr, 200, true, false, out.name_fr);
    check_name(e, "name_fr", out.name_fr);
    text(e, "name_en", in.name_en, 200, true, false, out.name_en);
    check_name(e, "name_en", out.name_en);
    text(e, "description_fr", in.description_fr, 4000, true, true, out.description_fr);
    text(e, "description_en", in.description_en, 4000, true, true, out.description_en);

    out.category_codes.clear();
    for (const auto& raw : in.categories) {
        const std::string c = trim(raw);
        if (!valid_taxonomy_code(c)) {
            e.push_back({"categories", "service.unknown_category", {}});
            out.category_codes.clear();
            break;
        }
        if (std::find(out.category_codes.begin(), out.category_codes.end(), c) == out.category_codes.end())
            out.category_codes.push_back(c);
    }
    if (in.categories.empty()) e.push_back({"categories", "field.choose_at_least_one", {}});

    text(e, "eligibility_fr", in.eligibility_fr, 2000, false, true, out.eligibility_fr);
    text(e, "eligibility_en", in.eligibility_en, 2000, false, true, out.eligibility_en);
    bounded(e, "age_min", in.age_min, 0, max_age_years, "service.age_range", out.age_min);
    bounded(e, "age_max", in.age_max, 0, max_age_years, "service.age_range", out.age_max);
    if (out.age_min && out.age_max && *out.age_min > *out.age_max) e.push_back({"age_max", "service.age_order", {}});
    text(e, "area_served_fr", in.area_served_fr, 300, false, false, out.area_served_fr);
    text(e, "area_served_en", in.area_served_en, 300, false, false, out.area_served_en);
    text(e, "access_fr", in.access_fr, 2000, false, true, out.access_fr);
    text(e, "access_en", in.access_en, 2000, false, true, out.access_en);
    text(e, "intake_fr", in.intake_fr, 2000, false, true, out.intake_fr);
    text(e, "intake_en", in.intake_en, 2000, false, true, out.intake_en);
    text(e, "fees_fr", in.fees_fr, 300, false, false, out.fees_fr);
    text(e, "fees_en", in.fees_en, 300, false, false, out.fees_en);

    out.languages.clear();
    for (const auto& raw : in.languages) {
        const std::string l = trim(raw);
        const auto& known = service_languages();
        if (std::find(known.begin(), known.end(), l) == known.end()) {
            e.push_back({"languages", "field.choose_from_list", {}});
            out.languages.clear();
            break;
        }
        if (std::find(out.languages.begin(), out.languages.end(), l) == out.languages.end()) out.languages.push_back(l);
    }
    if (in.languages.empty()) e.push_back({"languages", "field.choose_at_least_one", {}});
    out.fls_designated = in.fls_designated;

    out.site_ids.clear();
    for (const auto& raw : in.locations) {
        auto id = parse_id(trim(raw));
        if (!id) {
            e.push_back({"locations", "field.choose_from_list", {}});
            out.site_ids.clear();
            break;
        }
        if (std::find(out.site_ids.begin(), out.site_ids.end(), *id) == out.site_ids.end()) out.site_ids.push_back(*id);
    }
    contact(e, in, out);
    if (creating) {
        auto we = validate(WaitlistForm{in.waitlist_status, in.wait_weeks}, out.waitlist);
        e.insert(e.end(), we.begin(), we.end());
    }
    return e;
}

std::vector<FieldError> validate(const LocationForm& in, Location& out) {
    std::vector<FieldError> e;
    text(e, "name_fr", in.name_fr, 200, true, false, out.name_fr);
    check_name(e, "name_fr", out.name_fr);
    text(e, "name_en", in.name_en, 200, true, false, out.name_en);
    check_name(e, "name_en", out.name_en);
    text(e, "address", in.address, 300, true, false, out.address);
    text(e, "city", in.city, 100, true, false, out.city);
    const std::string pc = trim(in.postal_code);
    if (pc.empty())
        e.push_back({"postal_code", "field.required", {}});
    else if (auto n = normalise_postal_code(pc))
        out.postal_code = *n;
    else
        e.push_back({"postal_code", "field.postal_code", {}});
    const std::string phone = trim(in.phone);
    out.phone.clear();
    if (!phone.empty()) {
        if (auto p = normalise_phone(phone))
            out.phone = *p;
        else
            e.push_back({"phone", "field.phone", {}});
    }
    text(e, "hours_fr", in.hours_fr, 1000, false, true, out.hours_fr);
    text(e, "hours_en", in.hours_en, 1000, false, true, out.hours_en);
    text(e, "accessibility_fr", in.accessibility_fr, 1000, false, true, out.accessibility_fr);
    text(e, "accessibility_en", in.accessibility_en, 1000, false, true, out.accessibility_en);
    out.step_free_access = in.step_free_access;
    return e;
}

std::vector<FieldError> validate(const PathwayForm& in, Pathway& out) {
    std::vector<FieldError> e;
    if (auto id = parse_id(trim(in.sda_id)))
        out.sda_id = *id;
    else
        e.push_back({"sda_id", "field.choose_one", {}});

    const std::string need = trim(in.need), sector = trim(in.sector);
    out.need.reset();
    out.sector.reset();
    if (!need.empty()) {
        if (valid_taxonomy_code(need))
            out.need = need;
        else
            e.push_back({"need", "service.unknown_category", {}});
    }
    if (!sector.empty()) {
        if (parse_sector(sector))
            out.sector = sector;
        else
            e.push_back({"sector", "field.choose_one", {}});
    }
    if (need.empty() && sector.empty()) e.push_back({"need", "pathway.need_or_sector", {}});

    if (auto m = parse_access_mechanism(trim(in.mechanism)))
        out.mechanism = *m;
    else
        e.push_back({"mechanism", "field.choose_one", {}});

    const std::string service = trim(in.service_id), org = trim(in.organisation_id);
    out.service_id.reset();
    out.organisation_id.reset();
    if (!service.empty()) {
        if (auto id = parse_id(service))
            out.service_id = *id;
        else
            e.push_back({"service_id", "field.choose_from_list", {}});
    }
    if (!org.empty()) {
        if (auto id = parse_id(org))
            out.organisation_id = *id;
        else
            e.push_back({"organisation_id", "field.choose_from_list", {}});
    }
    if (service.empty() && org.empty()) e.push_back({"service_id", "pathway.target_required", {}});
    text(e, "notes_fr", in.notes_fr, 2000, false, true, out.notes_fr);
    text(e, "notes_en", in.notes_en, 2000, false, true, out.notes_en);
    return e;
}

std::vector<FieldError> validate(const SearchForm& in, SearchFilters& out) {
    std::vector<FieldError> e;
    out.text = trim(in.q);
    if (!valid_utf8(out.text)) {
        e.push_back({"q", "field.invalid_text", {}});
        out.text.clear();
    } else if (utf8_length(out.text) > 200) {
        e.push_back({"q", "search.query_too_long", {"200"}});
    }
    out.query = parse_search_query(out.text);

    const std::string area = trim(in.area);
    out.sda_id.reset();
    if (!area.empty()) {
        if (auto id = parse_id(area))
            out.sda_id = *id;
        else
            e.push_back({"area", "field.choose_one", {}});
    }
    const std::string category = trim(in.category);
    out.category.reset();
    if (!category.empty()) {
        if (valid_taxonomy_code(category))
            out.category = category;
        else
            e.push_back({"category", "service.unknown_category", {}});
    }
    bounded(e, "age", in.age, 0, max_age_years, "search.age_range", out.age);
    const std::string language = trim(in.language);
    out.language.reset();
    if (!language.empty()) {
        const auto& known = service_languages();
        if (std::find(known.begin(), known.end(), language) != known.end())
            out.language = language;
        else
            e.push_back({"language", "field.choose_from_list", {}});
    }
    const std::string wait = trim(in.wait);
    out.open_only = false;
    out.max_wait_weeks.reset();
    if (wait == "open") {
        out.open_only = true;
    } else if (!wait.empty()) {
        auto w = parse_int(wait);
        if (!w || *w < 1 || *w > max_wait_weeks)
            e.push_back({"wait", "field.choose_one", {}});
        else
            out.max_wait_weeks = *w;
    }
    const std::string fls = trim(in.fls);
    out.fls_only = fls == "1";
    if (!fls.empty() && fls != "1") e.push_back({"fls", "field.choose_one", {}});

    const std::string sort = trim(in.sort);
    if (sort.empty()) {
        out.sort = out.query.empty() ? SearchSort::name : SearchSort::relevance;
    } else if (auto s = parse_search_sort(sort)) {
        // Without words to rank by, "most relevant" is the alphabetical list.
        out.sort = (*s == SearchSort::relevance && out.query.empty()) ? SearchSort::name : *s;
    } else {
        e.push_back({"sort", "field.choose_one", {}});
    }
    auto page = parse_int(trim(in.page));
    out.page = page && *page >= 1 && *page <= 10000 ? *page : 1;
    return e;
}

bool waitlist_is_stale(TimePoint updated_at, TimePoint now, int stale_days) {
    return now - updated_at > std::chrono::hours(24) * stale_days;
}

bool can_manage_directory(const Principal& p, std::int64_t organisation_id, std::int64_t sda_id) {
    return std::any_of(p.grants.begin(), p.grants.end(), [&](const Grant& g) {
        return g.role == Role::system_admin || (g.role == Role::provider_manager && g.organisation_id == organisation_id) ||
               (g.role == Role::ca_admin && g.sda_id == sda_id);
    });
}

bool can_manage_any_directory(const Principal& p) {
    return p.has(Role::system_admin) || p.has(Role::provider_manager) || p.has(Role::ca_admin);
}

bool can_manage_pathways(const Principal& p, std::int64_t sda_id) {
    return can_manage_organisations(p, sda_id);
}

bool can_view_pathways(const Principal& p, std::int64_t sda_id) {
    return p.is_system_admin() ||
           std::any_of(p.grants.begin(), p.grants.end(), [&](const Grant& g) { return g.sda_id == sda_id; });
}

}  // namespace arrimage::domain
