#include "features/network/domain/outreach.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "domain/filters.hpp"
#include "domain/identity.hpp"
#include "domain/named.hpp"
#include "domain/people.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

constexpr Named<OutreachKind> kind_names[] = {
    {OutreachKind::family_session, "family_session"},
    {OutreachKind::referrer_presentation, "referrer_presentation"},
    {OutreachKind::community_event, "community_event"},
    {OutreachKind::webinar, "webinar"},
    {OutreachKind::community_of_practice, "community_of_practice"},
    {OutreachKind::publication, "publication"},
    {OutreachKind::other, "other"},
};
constexpr Named<OutreachAudience> audience_names[] = {
    {OutreachAudience::families, "families"},   {OutreachAudience::referring_agencies, "referring_agencies"},
    {OutreachAudience::schools, "schools"},     {OutreachAudience::health, "health"},
    {OutreachAudience::community, "community"}, {OutreachAudience::providers, "providers"},
};
constexpr Named<OutreachLanguage> language_names[] = {
    {OutreachLanguage::fr, "fr"},
    {OutreachLanguage::en, "en"},
    {OutreachLanguage::both, "both"},
};

// A whole number from 0 to `hi` written in digits only (no sign, no spaces or separators inside).
std::optional<int> count_up_to(std::string_view s, int hi) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    if (v > hi) return std::nullopt;
    return v;
}

std::size_t rank_of(OutreachAudience a) {
    const auto& all = all_outreach_audiences();
    return static_cast<std::size_t>(std::find(all.begin(), all.end(), a) - all.begin());
}

}  // namespace

const std::vector<OutreachKind>& all_outreach_kinds() {
    static const auto v = values_of(kind_names);
    return v;
}
std::string_view code(OutreachKind k) {
    return code_of(kind_names, k);
}
std::optional<OutreachKind> parse_outreach_kind(std::string_view s) {
    return parse_of(kind_names, s);
}

const std::vector<OutreachAudience>& all_outreach_audiences() {
    static const auto v = values_of(audience_names);
    return v;
}
std::string_view code(OutreachAudience a) {
    return code_of(audience_names, a);
}
std::optional<OutreachAudience> parse_outreach_audience(std::string_view s) {
    return parse_of(audience_names, s);
}

const std::vector<OutreachLanguage>& all_outreach_languages() {
    static const auto v = values_of(language_names);
    return v;
}
std::string_view code(OutreachLanguage l) {
    return code_of(language_names, l);
}
std::optional<OutreachLanguage> parse_outreach_language(std::string_view s) {
    return parse_of(language_names, s);
}

std::vector<FieldError> validate(const OutreachForm& in, const Date& today, OutreachTerms& out) {
    std::vector<FieldError> e;
    choice(e, "kind", in.kind, &parse_outreach_kind, out.kind);

    out.audiences.clear();
    bool unknown_audience = false;
    for (const auto& raw : in.audiences) {
        const std::string s = trim(raw);
        if (s.empty()) continue;
        if (auto a = parse_outreach_audience(s))
            out.audiences.push_back(*a);
        else
            unknown_audience = true;
    }
    std::sort(out.audiences.begin(), out.audiences.end(),
              [](OutreachAudience a, OutreachAudience b) { return rank_of(a) < rank_of(b); });
    out.audiences.erase(std::unique(out.audiences.begin(), out.audiences.end()), out.audiences.end());
    if (unknown_audience)
        e.push_back({"audiences", "field.choose_from_list", {}});
    else if (out.audiences.empty())
        e.push_back({"audiences", "network.outreach.audience_required", {}});

    text(e, "title", in.title, max_outreach_title_length, true, out.title);
    choice(e, "language", in.language, &parse_outreach_language, out.language);

    std::optional<Date> held;
    date_field(e, "held_on", in.held_on, true, held);
    if (held) {
        out.held_on = *held;
        if (days_between(today, *held) > 0) e.push_back({"held_on", "network.outreach.held_in_future", {}});
    }

    const std::string reached = trim(in.people_reached);
    out.people_reached.reset();
    if (!reached.empty()) {
        out.people_reached = count_up_to(reached, max_people_reached);
        if (!out.people_reached) e.push_back({"people_reached", "network.outreach.people_reached_invalid", {}});
    }

    out.organisations.clear();
    bool bad_id = false;
    for (const auto& raw : in.organisations) {
        const std::string s = trim(raw);
        if (s.empty()) continue;
        if (auto id = parse_id(s))
            out.organisations.push_back(*id);
        else
            bad_id = true;
    }
    std::sort(out.organisations.begin(), out.organisations.end());
    out.organisations.erase(std::unique(out.organisations.begin(), out.organisations.end()), out.organisations.end());
    if (bad_id)
        e.push_back({"organisations", "field.choose_from_list", {}});
    else if (out.organisations.empty())
        e.push_back({"organisations", "network.outreach.organisations_required", {}});
    else if (out.organisations.size() > static_cast<std::size_t>(max_outreach_organisations))
        e.push_back({"organisations", "network.outreach.too_many_organisations", {std::to_string(max_outreach_organisations)}});

    long_text(e, "summary", in.summary, max_outreach_summary_length, true, out.summary);
    long_text(e, "follow_up", in.follow_up, max_outreach_follow_up_length, false, out.follow_up);
    return e;
}

std::vector<FieldError> validate(const OutreachQuery& in, OutreachFilter& out) {
    std::vector<FieldError> e;
    date_field(e, "from", in.from, false, out.from);
    date_field(e, "to", in.to, false, out.to);
    if (out.from && out.to && days_between(*out.from, *out.to) < 0) e.push_back({"to", "network.outreach.range_reversed", {}});
    optional_choice(e, "kind", in.kind, &parse_outreach_kind, out.kind);
    optional_choice(e, "audience", in.audience, &parse_outreach_audience, out.audience);
    optional_id(e, "organisation", in.organisation, out.organisation);
    return e;
}

}  // namespace arrimage::domain
