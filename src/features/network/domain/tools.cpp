#include "features/network/domain/tools.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "domain/filters.hpp"
#include "domain/named.hpp"
#include "domain/people.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

constexpr Named<ToolKind> kind_names[] = {
    {ToolKind::form, "form"},           {ToolKind::guide, "guide"},
    {ToolKind::checklist, "checklist"}, {ToolKind::assessment_tool, "assessment_tool"},
    {ToolKind::template_, "template"},  {ToolKind::other, "other"},
};
constexpr Named<AdoptionStanding> standing_names[] = {
    {AdoptionStanding::adopted_current, "adopted_current"},
    {AdoptionStanding::adopted_older, "adopted_older"},
    {AdoptionStanding::not_adopted, "not_adopted"},
};

}  // namespace

const std::vector<ToolKind>& all_tool_kinds() {
    static const auto v = values_of(kind_names);
    return v;
}
std::string_view code(ToolKind k) {
    return code_of(kind_names, k);
}
std::optional<ToolKind> parse_tool_kind(std::string_view s) {
    return parse_of(kind_names, s);
}

std::vector<FieldError> validate(const ToolForm& in, ToolTerms& out) {
    std::vector<FieldError> e;
    text(e, "title_fr", in.title_fr, max_tool_title_length, true, out.title_fr);
    text(e, "title_en", in.title_en, max_tool_title_length, true, out.title_en);
    long_text(e, "description_fr", in.description_fr, max_tool_description_length, false, out.description_fr);
    long_text(e, "description_en", in.description_en, max_tool_description_length, false, out.description_en);
    choice(e, "kind", in.kind, &parse_tool_kind, out.kind);
    out.mandatory = trim(in.mandatory) == "1";
    text(e, "version_label", in.version_label, max_tool_version_label_length, true, out.version_label);
    return e;
}

const std::vector<AdoptionStanding>& all_adoption_standings() {
    static const auto v = values_of(standing_names);
    return v;
}
std::string_view code(AdoptionStanding s) {
    return code_of(standing_names, s);
}
std::optional<AdoptionStanding> parse_adoption_standing(std::string_view s) {
    return parse_of(standing_names, s);
}

AdoptionStanding adoption_standing(const std::vector<std::string>& adopted_labels, std::string_view current_label) {
    if (adopted_labels.empty()) return AdoptionStanding::not_adopted;
    const bool current = std::any_of(adopted_labels.begin(), adopted_labels.end(),
                                     [&](const std::string& label) { return label == current_label; });
    return current ? AdoptionStanding::adopted_current : AdoptionStanding::adopted_older;
}

std::vector<FieldError> validate(const ToolQuery& in, ToolFilter& out) {
    std::vector<FieldError> e;
    optional_choice(e, "kind", in.kind, &parse_tool_kind, out.kind);
    const std::string mandatory = trim(in.mandatory);
    out.mandatory.reset();
    if (mandatory == "1")
        out.mandatory = true;
    else if (mandatory == "0")
        out.mandatory = false;
    else if (!mandatory.empty())
        e.push_back({"mandatory", "field.choose_from_list", {}});
    const std::string retired = trim(in.retired);
    out.include_retired = retired == "1";
    if (!retired.empty() && retired != "1" && retired != "0") e.push_back({"retired", "field.choose_from_list", {}});
    return e;
}

}  // namespace arrimage::domain
