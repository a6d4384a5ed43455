// Our records as FHIR R4 resources and back (resources.hpp). Every element written is one the
// R4 JSON schema allows, and never empty: FHIR forbids empty strings, arrays and objects, so an
// empty value is left out rather than written as "" or [] (and a resource without a version or
// an update time has no meta at all, unless it carries a security label or a tag, as a search
// row's SUBSETTED).
//
// Texts in two languages. The reader's language goes in the element itself (`name`), the other
// language in the element's translation extension (`_name`):
//   "_name": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
//             "extension": [{"url": "lang", "valueCode": "en"}, {"url": "content", "valueString": "…"}]}]}
// A name (required in both languages) carries the translation, and Organization and Location the
// alias, only when the other name differs: no translation means the same name. An optional text
// (description, eligibility, hours…) carries the translation whenever the other language has one,
// even the same words: no translation means no text in that language, so a text given in one
// language only comes back as such. The inverses read the reader's language from the element and
// the other from its translation.
//
// What FHIR R4 has no element for travels in extensions under
// https://arrimage.ca/fhir/StructureDefinition/: capable-of-consent and official-language
// (Patient), substitute-decision-maker (RelatedPerson), fls-designated (Organization and
// HealthcareService: designated under the French Language Services Act), accessibility and
// step-free-access (Location), contact-name, waitlist (status, weeks, updated) and age-range
// (on the eligibility) for HealthcareService.
#include "features/fhir/web/resources.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <utility>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "domain/people.hpp"
#include "domain/search_text.hpp"

namespace arrimage::web::fhir {

using nlohmann::json;

namespace {

constexpr const char* ext_translation = "http://hl7.org/fhir/StructureDefinition/translation";
constexpr const char* ext_capable_of_consent = "https://arrimage.ca/fhir/StructureDefinition/capable-of-consent";
constexpr const char* ext_official_language = "https://arrimage.ca/fhir/StructureDefinition/official-language";
constexpr const char* ext_substitute_decision_maker = "https://arrimage.ca/fhir/StructureDefinition/substitute-decision-maker";
constexpr const char* ext_fls_designated = "https://arrimage.ca/fhir/StructureDefinition/fls-designated";
constexpr const char* ext_accessibility = "https://arrimage.ca/fhir/StructureDefinition/accessibility";
constexpr const char* ext_step_free_access = "https://arrimage.ca/fhir/StructureDefinition/step-free-access";
constexpr const char* ext_contact_name = "https://arrimage.ca/fhir/StructureDefinition/contact-name";
constexpr const char* ext_waitlist = "https://arrimage.ca/fhir/StructureDefinition/waitlist";
constexpr const char* ext_age_range = "https://arrimage.ca/fhir/StructureDefinition/age-range";
constexpr const char* cs_service_category = "https://arrimage.ca/fhir/CodeSystem/service-category";
constexpr const char* cs_role_code = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
constexpr const char* cs_observation_value = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
constexpr const char* cs_bcp47 = "urn:ietf:bcp:47";
constexpr const char* cs_ucum = "http://unitsofmeasure.org";

// ---------------------------------------------------------------- relationship table

// Who a family member is to the child, as a v3-RoleCode concept, one to one both ways:
//
//   parent                     PRN      parent
//   guardian                   GUARD    guardian
//   substitute_decision_maker  POWATT   power of attorney
//   other_caregiver            FAMMEMB  family member
//
// RoleCode has no concept for a substitute decision-maker in the sense of Ontario law (someone
// with authority to decide for the child); POWATT, a person granted authority to act for another
// in a legally binding way, is the nearest, and the substitute-decision-maker extension says
// whether the person holds that authority (a parent or guardian may too). RoleCode has no
// generic caregiver either: FAMMEMB, the broadest concept of the child's circle, stands for
// another caregiver (a grandparent, an aunt, a kinship or foster caregiver).
struct RoleCodeRow {
    domain::FamilyRelationship relationship;
    const char* code;
    const char* display;
};
constexpr std::array<RoleCodeRow, 4> role_codes = {{
    {domain::FamilyRelationship::parent, "PRN", "parent"},
    {domain::FamilyRelationship::guardian, "GUARD", "guardian"},
    {domain::FamilyRelationship::substitute_decision_maker, "POWATT", "power of attorney"},
    {domain::FamilyRelationship::other_caregiver, "FAMMEMB", "family member"},
}};

// ---------------------------------------------------------------- languages

// The directory's language codes (domain::service_languages: ISO 639-1, plus asl and lsq for
// sign languages) as BCP-47 tags: the sign languages have ISO 639-3 codes, the others are the same.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> sign_languages = {{{"asl", "ase"}, {"lsq", "fcs"}}};

std::string bcp47_of(const std::string& ours) {
    for (const auto& [o, tag] : sign_languages)
        if (ours == o) return std::string(tag);
    return ours;
}
std::string ours_of(const std::string& tag) {
    for (const auto& [o, t] : sign_languages)
        if (tag == t) return std::string(o);
    return tag;
}

// A person's preferred language is free text ("Arabe", "ASL"): it goes in language.text as typed,
// with a BCP-47 coding when the text names a language we know (accents and case folded).
constexpr std::array<std::pair<std::string_view, std::string_view>, 40> language_names = {{
    {"francais", "fr"},
    {"french", "fr"},
    {"fr", "fr"},
    {"anglais", "en"},
    {"english", "en"},
    {"en", "en"},
    {"arabe", "ar"},
    {"arabic", "ar"},
    {"espagnol", "es"},
    {"spanish", "es"},
    {"portugais", "pt"},
    {"portuguese", "pt"},
    {"chinois", "zh"},
    {"chinese", "zh"},
    {"mandarin", "cmn"},
    {"cantonais", "yue"},
    {"cantonese", "yue"},
    {"persan", "fa"},
    {"farsi", "fa"},
    {"persian", "fa"},
    {"pendjabi", "pa"},
    {"punjabi", "pa"},
    {"somali", "so"},
    {"tagalog", "tl"},
    {"ukrainien", "uk"},
    {"ukrainian", "uk"},
    {"ojibwe", "oj"},
    {"ojibway", "oj"},
    {"cri", "cr"},
    {"cree", "cr"},
    {"inuktitut", "iu"},
    {"asl", "ase"},
    {"american sign language", "ase"},
    {"langue des signes americaine", "ase"},
    {"lsq", "fcs"},
    {"langue des signes quebecoise", "fcs"},
    {"italien", "it"},
    {"italian", "it"},
    {"tamoul", "ta"},
    {"tamil", "ta"},
}};

json language_concept(const std::string& text) {
    json c = {{"text", text}};
    const auto folded = domain::fold(trim(text));
    for (const auto& [name, tag] : language_names)
        if (folded == name) {
            c["coding"] = json::array({{{"system", cs_bcp47}, {"code", std::string(tag)}}});
            break;
        }
    return c;
}

// ---------------------------------------------------------------- writing

const std::string& pick(Lang lang, const std::string& fr, const std::string& en) {
    return lang == Lang::fr ? fr : en;
}

void put(json& j, const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
}

std::string reference(const char* type, std::int64_t id) {
    return std::string(type) + "/" + std::to_string(id);
}

json identifiers(const char* system, std::int64_t id) {
    return json::array({{{"system", system}, {"value", std::to_string(id)}}});
}

json translation(Lang lang, const std::string& text) {
    return {{"url", ext_translation},
            {"extension", json::array({{{"url", "lang"}, {"valueCode", std::string(code(lang))}},
                                       {{"url", "content"}, {"valueString", text}}})}};
}

// `key` in the reader's language and `_key` with the other language's translation, as the header
// comment says: for a name only when it differs, for an optional text whenever there is one.
enum class Text { name, optional };
void put_text(json& j, const std::string& key, Lang lang, const std::string& fr, const std::string& en, Text kind) {
    const auto& mine = pick(lang, fr, en);
    const auto& theirs = pick(other(lang), fr, en);
    if (!mine.empty()) j[key] = mine;
    if (theirs.empty() || (kind == Text::name && theirs == mine)) return;
    j["_" + key] = {{"extension", json::array({translation(other(lang), theirs)})}};
}

// The other name as an alias, when it differs.
void put_alias(json& j, Lang lang, const std::string& fr, const std::string& en) {
    const auto& mine = pick(lang, fr, en);
    const auto& theirs = pick(other(lang), fr, en);
    if (!theirs.empty() && theirs != mine) j["alias"] = json::array({theirs});
}

void add_contact(json& telecom, const char* system, const std::string& value) {
    if (!value.empty()) telecom.push_back({{"system", system}, {"value", value}});
}

void put_array(json& j, const char* key, json a) {
    if (!a.empty()) j[key] = std::move(a);
}

json boolean_extension(const char* url, bool v) {
    return {{"url", url}, {"valueBoolean", v}};
}

bool valid_code(const std::string& s) {
    if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\t' || c == '\n' || c == '\r' || (c == ' ' && s[i + 1] == ' ')) return false;
    }
    return true;
}

bool valid_date_time(const std::string& s) {
    return parse_date(s).has_value() || parse_iso(s).has_value();
}

json redacted() {
    return {{"security", json::array({{{"system", cs_observation_value}, {"code", "REDACTED"}}})}};
}

// The label of a resource of which only a part is given (a search row).
json subsetted() {
    return json::array({{{"system", cs_observation_value}, {"code", "SUBSETTED"}}});
}

json official_name(const std::string& given, const std::string& family) {
    json n = {{"use", "official"}};
    put(n, "family", family);
    if (!given.empty()) n["given"] = json::array({given});
    return n;
}

// The official name, and the preferred name as a usual name.
json names(const std::string& given, const std::string& family, const std::string& preferred) {
    json out = json::array();
    if (!given.empty() || !family.empty()) out.push_back(official_name(given, family));
    if (!preferred.empty()) out.push_back({{"use", "usual"}, {"given", json::array({preferred})}});
    return out;
}

const interop::DirOrganisation* find_organisation(const interop::DirectorySnapshot& d, std::int64_t id) {
    auto it = std::find_if(d.organisations.begin(), d.organisations.end(), [&](const auto& o) { return o.id == id; });
    return it == d.organisations.end() ? nullptr : &*it;
}
const interop::DirLocation* find_location(const interop::DirectorySnapshot& d, std::int64_t id) {
    auto it = std::find_if(d.locations.begin(), d.locations.end(), [&](const auto& l) { return l.id == id; });
    return it == d.locations.end() ? nullptr : &*it;
}
const interop::DirTerm* find_term(const interop::DirectorySnapshot& d, const std::string& code) {
    auto it = std::find_if(d.terms.begin(), d.terms.end(), [&](const auto& t) { return t.code == code; });
    return it == d.terms.end() ? nullptr : &*it;
}

json age(std::int64_t years) {
    return {{"value", years}, {"unit", "a"}, {"system", cs_ucum}, {"code", "a"}};
}

// ---------------------------------------------------------------- reading

constexpr std::size_t max_errors = 20;

// Reads a JSON document that claims to be a resource: every value is checked for its JSON type
// before use (arrays where objects belong, numbers where strings belong...), and each problem is
// a field error named by the element's path. Absent and null elements are simply absent.
class Reader {
  public:
    std::vector<FieldError> errors;

    void fail(const std::string& path, const char* key, std::vector<std::string> args = {}) {
        if (errors.size() < max_errors) errors.push_back({path, key, std::move(args)});
    }

    static const json* member(const json& o, const std::string& key) {
        if (!o.is_object()) return nullptr;
        auto it = o.find(key);
        return it == o.end() || it->is_null() ? nullptr : &*it;
    }
    const json* object(const json& o, const std::string& key, const std::string& path) {
        const json* v = member(o, key);
        if (v && !v->is_object()) {
            fail(path + "." + key, "fhir.invalid.object");
            return nullptr;
        }
        return v;
    }
    // The objects of array `key` with their paths; anything else in it is an error.
    std::vector<std::pair<const json*, std::string>> objects(const json& o, const std::string& key, const std::string& path) {
        std::vector<std::pair<const json*, std::string>> out;
        const json* v = member(o, key);
        if (!v) return out;
        if (!v->is_array()) {
            fail(path + "." + key, "fhir.invalid.array");
            return out;
        }
        for (std::size_t i = 0; i < v->size(); ++i) {
            const auto at = path + "." + key + "[" + std::to_string(i) + "]";
            if ((*v)[i].is_object())
                out.emplace_back(&(*v)[i], at);
            else
                fail(at, "fhir.invalid.object");
        }
        return out;
    }
    // The strings of array `key`.
    std::vector<std::string> strings(const json& o, const std::string& key, const std::string& path) {
        std::vector<std::string> out;
        const json* v = member(o, key);
        if (!v) return out;
        if (!v->is_array()) {
            fail(path + "." + key, "fhir.invalid.array");
            return out;
        }
        for (std::size_t i = 0; i < v->size(); ++i) {
            if ((*v)[i].is_string())
                out.push_back((*v)[i].get<std::string>());
            else if (!(*v)[i].is_null())
                fail(path + "." + key + "[" + std::to_string(i) + "]", "fhir.invalid.string");
        }
        return out;
    }
    std::string string(const json& o, const std::string& key, const std::string& path) {
        const json* v = member(o, key);
        if (!v) return {};
        if (!v->is_string()) {
            fail(path + "." + key, "fhir.invalid.string");
            return {};
        }
        return v->get<std::string>();
    }
    std::optional<bool> boolean(const json& o, const std::string& key, const std::string& path) {
        const json* v = member(o, key);
        if (!v) return std::nullopt;
        if (!v->is_boolean()) {
            fail(path + "." + key, "fhir.invalid.boolean");
            return std::nullopt;
        }
        return v->get<bool>();
    }
    // A whole number (a decimal with nothing after the point too: Quantity.value is a decimal).
    std::optional<std::int64_t> integer(const json& o, const std::string& key, const std::string& path) {
        const json* v = member(o, key);
        if (!v) return std::nullopt;
        if (v->is_number_unsigned() &&
            v->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return static_cast<std::int64_t>(v->get<std::uint64_t>());
        if (v->is_number_integer() && !v->is_number_unsigned()) return v->get<std::int64_t>();
        if (v->is_number_float()) {
            const double d = v->get<double>();
            if (d >= -9.0e15 && d <= 9.0e15 && d == static_cast<double>(static_cast<std::int64_t>(d)))
                return static_cast<std::int64_t>(d);
        }
        fail(path + "." + key, "fhir.invalid.integer");
        return std::nullopt;
    }

    // The first extension of `url` among `o`'s extensions and its path, or null.
    std::pair<const json*, std::string> extension_at(const json& o, const char* url, const std::string& path) {
        for (const auto& [e, at] : objects(o, "extension", path))
            if (string(*e, "url", at) == url) return {e, at};
        return {nullptr, {}};
    }

    // The text in language `lang` carried by the translation extension of element `key` of `o`.
    std::optional<std::string> translation(const json& o, const std::string& key, const std::string& path, Lang lang) {
        const json* element = object(o, "_" + key, path);
        if (!element) return std::nullopt;
        const auto at = path + "._" + key;
        for (const auto& [e, e_at] : objects(*element, "extension", at)) {
            if (string(*e, "url", e_at) != ext_translation) continue;
            std::string tag, content;
            for (const auto& [part, part_at] : objects(*e, "extension", e_at)) {
                const auto url = string(*part, "url", part_at);
                if (url == "lang") tag = string(*part, "valueCode", part_at);
                if (url == "content") content = string(*part, "valueString", part_at);
            }
            if (tag == code(lang)) return content;
        }
        return std::nullopt;
    }

    // Element `key` in `lang` and its translation, as put_text wrote them.
    void text(const json& o, const std::string& key, const std::string& path, Lang lang, std::string& fr, std::string& en,
              Text kind, const std::string& alias = {}) {
        auto& mine = lang == Lang::fr ? fr : en;
        auto& theirs = lang == Lang::fr ? en : fr;
        mine = string(o, key, path);
        if (auto t = translation(o, key, path, other(lang)))
            theirs = *t;
        else if (kind == Text::name)
            theirs = alias.empty() ? mine : alias;
        else
            theirs.clear();
    }

    // The id of a reference to `type`: "Type/12", or an absolute URL ending so.
    std::optional<std::int64_t> reference(const json& o, const std::string& key, const std::string& path, const char* type) {
        const json* r = object(o, key, path);
        if (!r) return std::nullopt;
        return reference_of(*r, path + "." + key, type);
    }
    std::optional<std::int64_t> reference_of(const json& r, const std::string& path, const char* type) {
        const auto text = string(r, "reference", path);
        const std::string prefix = std::string(type) + "/";
        const auto at = text.rfind(prefix);
        if (at != std::string::npos && (at == 0 || text[at - 1] == '/'))
            if (auto id = domain::parse_id(std::string_view(text).substr(at + prefix.size()))) return id;
        fail(path + ".reference", "fhir.invalid.reference", {type});
        return std::nullopt;
    }

    // The resource's id: `id`, else the value of its identifier of `system`; 0 when it has neither.
    std::int64_t id(const json& r, const std::string& type, const char* system) {
        if (const json* v = member(r, "id")) {
            if (v->is_string())
                if (auto id = domain::parse_id(v->get<std::string>())) return *id;
            fail(type + ".id", "fhir.invalid.id");
            return 0;
        }
        for (const auto& [i, at] : objects(r, "identifier", type))
            if (string(*i, "system", at) == system) {
                if (auto id = domain::parse_id(string(*i, "value", at))) return *id;
                fail(at + ".value", "fhir.invalid.id");
                return 0;
            }
        return 0;
    }

    // Phone, email and web address among the contact points.
    void telecom(const json& r, const std::string& path, std::string* phone, std::string* email, std::string* url) {
        for (const auto& [c, at] : objects(r, "telecom", path)) {
            const auto system = string(*c, "system", at);
            const auto value = string(*c, "value", at);
            if (system == "phone" && phone && phone->empty()) *phone = value;
            if (system == "email" && email && email->empty()) *email = value;
            if (system == "url" && url && url->empty()) *url = value;
        }
    }

    // A CodeableConcept's language: its text as typed, else its BCP-47 code.
    std::string language(const json& communication, const std::string& path) {
        const json* c = object(communication, "language", path);
        if (!c) return {};
        const auto at = path + ".language";
        if (auto text = string(*c, "text", at); !text.empty()) return text;
        for (const auto& [coding, coding_at] : objects(*c, "coding", at))
            if (auto code = string(*coding, "code", coding_at); !code.empty()) return code;
        return {};
    }

    // The preferred language among `communication` (the preferred one, else the first).
    std::string preferred_language(const json& r, const std::string& path) {
        const auto all = objects(r, "communication", path);
        for (const auto& [c, at] : all)
            if (boolean(*c, "preferred", at).value_or(false)) return language(*c, at);
        return all.empty() ? std::string() : language(*all.front().first, all.front().second);
    }

    // The names written by names(): the official one (else the first without a use), and the
    // usual one's given name.
    void person_names(const json& r, const std::string& path, std::string& given, std::string& family, std::string* preferred) {
        const auto all = objects(r, "name", path);
        const std::pair<const json*, std::string>* official = nullptr;
        for (const auto& n : all) {
            const auto use = string(*n.first, "use", n.second);
            if (use == "official" && !official) official = &n;
            if (use == "usual" && preferred) *preferred = join(strings(*n.first, "given", n.second));
        }
        if (!official)
            for (const auto& n : all)
                if (!member(*n.first, "use")) {
                    official = &n;
                    break;
                }
        if (!official) return;
        family = string(*official->first, "family", official->second);
        given = join(strings(*official->first, "given", official->second));
    }

    // Checks the resource type; false (with the error) when `r` is not such a resource.
    bool resource(const json& r, const std::string& type) {
        if (!r.is_object() || !r.contains("resourceType") || !r["resourceType"].is_string() ||
            r["resourceType"].get<std::string>() != type) {
            fail("resourceType", "fhir.invalid.resource_type", {type});
            return false;
        }
        return true;
    }

  private:
    static std::string join(const std::vector<std::string>& parts) {
        std::string out;
        for (const auto& p : parts) {
            if (p.empty()) continue;
            if (!out.empty()) out += ' ';
            out += p;
        }
        return out;
    }
};

template <typename T>
Result<T> done(Reader& in, T value) {
    if (!in.errors.empty()) return Error::invalid(std::move(in.errors));
    return value;
}

// ---------------------------------------------------------------- searchset links

// Characters a URL may not carry as they are (controls, spaces, non-ASCII and the unsafe
// punctuation of RFC 3986) percent-encoded; what is already percent-encoded stays so.
std::string url_safe(std::string_view s) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (c <= 0x20 || c >= 0x7f || std::string_view("\"<>\\^`{|}").find(static_cast<char>(c)) != std::string_view::npos) {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 0xf];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string page_url(const std::string& base, const std::string& type, const std::vector<std::string>& kept, int count,
                     std::int64_t offset) {
    std::string url = base + "/" + type + "?";
    for (const auto& p : kept) url += p + "&";
    return url + "_count=" + std::to_string(count) + "&_offset=" + std::to_string(offset);
}

}  // namespace

// ---------------------------------------------------------------- Patient

json patient(const store::PersonFile& file) {
    json r = {{"resourceType", "Patient"}, {"id", std::to_string(file.id)}};
    if (!file.identity) r["meta"] = redacted();
    r["identifier"] = identifiers(sid_person, file.id);
    if (file.identity) {
        const auto& i = *file.identity;
        json extensions = json::array({boolean_extension(ext_capable_of_consent, i.capable_of_consent)});
        if (valid_code(i.official_language))
            extensions.push_back({{"url", ext_official_language}, {"valueCode", i.official_language}});
        r["extension"] = std::move(extensions);
        r["active"] = true;
        put_array(r, "name", names(i.given_name, i.family_name, i.preferred_name));
        json telecom = json::array();
        add_contact(telecom, "phone", i.phone);
        add_contact(telecom, "email", i.email);
        put_array(r, "telecom", std::move(telecom));
        if (parse_date(i.date_of_birth)) r["birthDate"] = i.date_of_birth;
        if (!i.address.empty() || !i.postal_code.empty()) {
            json a = {{"use", "home"}};
            if (!i.address.empty()) a["line"] = json::array({i.address});
            put(a, "postalCode", i.postal_code);
            a["country"] = "CA";
            r["address"] = json::array({a});
        }
        if (!i.preferred_language.empty())
            r["communication"] = json::array({{{"language", language_concept(i.preferred_language)}, {"preferred", true}}});
    }
    if (file.coordinating_agency_id > 0)
        r["managingOrganization"] = {{"reference", reference("Organization", file.coordinating_agency_id)}};
    return r;
}

json patient(const store::PersonSummary& row) {
    json r = {{"resourceType", "Patient"}, {"id", std::to_string(row.id)}};
    json meta = row.withheld ? redacted() : json::object();
    meta["tag"] = subsetted();
    r["meta"] = std::move(meta);
    r["identifier"] = identifiers(sid_person, row.id);
    if (!row.withheld) {
        put_array(r, "name", names(row.given_name, row.family_name, row.preferred_name));
        if (parse_date(row.date_of_birth)) r["birthDate"] = row.date_of_birth;
    }
    if (row.coordinating_agency_id > 0)
        r["managingOrganization"] = {{"reference", reference("Organization", row.coordinating_agency_id)}};
    return r;
}

Result<PatientRecord> patient_from(const json& r) {
    Reader in;
    if (!in.resource(r, "Patient")) return Error::invalid(std::move(in.errors));
    const std::string p = "Patient";
    PatientRecord out;
    out.id = in.id(r, p, sid_person);
    out.managing_organization = in.reference(r, "managingOrganization", p, "Organization").value_or(0);
    bool redacted = false;
    if (const json* meta = in.object(r, "meta", p))
        for (const auto& [s, at] : in.objects(*meta, "security", p + ".meta"))
            if (in.string(*s, "system", at) == cs_observation_value && in.string(*s, "code", at) == "REDACTED") redacted = true;
    if (redacted) return done(in, std::move(out));

    store::PersonIdentity i;
    in.person_names(r, p, i.given_name, i.family_name, &i.preferred_name);
    i.date_of_birth = in.string(r, "birthDate", p);
    if (!i.date_of_birth.empty() && !parse_date(i.date_of_birth)) in.fail(p + ".birthDate", "fhir.invalid.date");
    i.preferred_language = in.preferred_language(r, p);
    in.telecom(r, p, &i.phone, &i.email, nullptr);
    const auto addresses = in.objects(r, "address", p);
    if (!addresses.empty()) {
        const auto& [a, at] = addresses.front();
        const auto lines = in.strings(*a, "line", at);
        for (const auto& line : lines) i.address += (i.address.empty() ? "" : ", ") + line;
        i.postal_code = in.string(*a, "postalCode", at);
    }
    if (const auto [e, at] = in.extension_at(r, ext_capable_of_consent, p); e)
        i.capable_of_consent = in.boolean(*e, "valueBoolean", at).value_or(false);
    if (const auto [e, at] = in.extension_at(r, ext_official_language, p); e) {
        i.official_language = in.string(*e, "valueCode", at);
        if (!i.official_language.empty() && !parse_lang(i.official_language))
            in.fail(at + ".valueCode", "fhir.invalid.code", {i.official_language});
    }
    out.identity = std::move(i);
    return done(in, std::move(out));
}

// ---------------------------------------------------------------- RelatedPerson

json related_person(std::int64_t person_id, const store::FamilyMemberRow& m) {
    json r = {{"resourceType", "RelatedPerson"},
              {"id", std::to_string(m.id)},
              {"extension", json::array({boolean_extension(ext_substitute_decision_maker, m.is_substitute_decision_maker)})},
              {"identifier", identifiers(sid_family_member, m.id)},
              {"active", true},
              {"patient", {{"reference", reference("Patient", person_id)}}}};
    if (const auto rel = domain::parse_family_relationship(m.relationship)) {
        for (const auto& row : role_codes)
            if (row.relationship == *rel)
                r["relationship"] = json::array(
                    {{{"coding", json::array({{{"system", cs_role_code}, {"code", row.code}, {"display", row.display}}})}}});
    } else if (!m.relationship.empty()) {
        r["relationship"] = json::array({{{"text", m.relationship}}});
    }
    if (!m.given_name.empty() || !m.family_name.empty()) r["name"] = json::array({official_name(m.given_name, m.family_name)});
    json telecom = json::array();
    add_contact(telecom, "phone", m.phone);
    add_contact(telecom, "email", m.email);
    put_array(r, "telecom", std::move(telecom));
    if (!m.preferred_language.empty())
        r["communication"] = json::array({{{"language", language_concept(m.preferred_language)}, {"preferred", true}}});
    return r;
}

Result<RelatedPersonRecord> related_person_from(const json& r) {
    Reader in;
    if (!in.resource(r, "RelatedPerson")) return Error::invalid(std::move(in.errors));
    const std::string p = "RelatedPerson";
    RelatedPersonRecord out;
    auto& m = out.member;
    m.id = in.id(r, p, sid_family_member);
    if (!Reader::member(r, "patient"))
        in.fail(p + ".patient", "fhir.invalid.required");
    else
        out.person_id = in.reference(r, "patient", p, "Patient").value_or(0);
    for (const auto& [c, at] : in.objects(r, "relationship", p)) {
        for (const auto& [coding, coding_at] : in.objects(*c, "coding", at)) {
            if (in.string(*coding, "system", coding_at) != cs_role_code) continue;
            const auto code = in.string(*coding, "code", coding_at);
            auto row = std::find_if(role_codes.begin(), role_codes.end(), [&](const auto& x) { return code == x.code; });
            if (row == role_codes.end())
                in.fail(coding_at + ".code", "fhir.invalid.code", {code});
            else if (m.relationship.empty())
                m.relationship = std::string(domain::code(row->relationship));
        }
        if (m.relationship.empty()) m.relationship = in.string(*c, "text", at);
    }
    if (const auto [e, at] = in.extension_at(r, ext_substitute_decision_maker, p); e)
        m.is_substitute_decision_maker = in.boolean(*e, "valueBoolean", at).value_or(false);
    in.person_names(r, p, m.given_name, m.family_name, nullptr);
    in.telecom(r, p, &m.phone, &m.email, nullptr);
    m.preferred_language = in.preferred_language(r, p);
    return done(in, std::move(out));
}

// ---------------------------------------------------------------- Organization

json organization(const interop::DirOrganisation& o, Lang lang) {
    json r = {{"resourceType", "Organization"},
              {"id", std::to_string(o.id)},
              {"language", std::string(code(lang))},
              {"extension", json::array({boolean_extension(ext_fls_designated, o.fls_designated)})},
              {"identifier", identifiers(sid_organization, o.id)},
              {"active", true}};
    put_text(r, "name", lang, o.name_fr, o.name_en, Text::name);
    put_alias(r, lang, o.name_fr, o.name_en);
    json telecom = json::array();
    add_contact(telecom, "phone", o.phone);
    add_contact(telecom, "email", o.email);
    add_contact(telecom, "url", o.website);
    put_array(r, "telecom", std::move(telecom));
    return r;
}

Result<interop::DirOrganisation> organization_from(const json& r, Lang lang) {
    Reader in;
    if (!in.resource(r, "Organization")) return Error::invalid(std::move(in.errors));
    const std::string p = "Organization";
    interop::DirOrganisation o;
    o.id = in.id(r, p, sid_organization);
    const auto aliases = in.strings(r, "alias", p);
    in.text(r, "name", p, lang, o.name_fr, o.name_en, Text::name, aliases.empty() ? std::string() : aliases.front());
    in.telecom(r, p, &o.phone, &o.email, &o.website);
    if (const auto [e, at] = in.extension_at(r, ext_fls_designated, p); e)
        o.fls_designated = in.boolean(*e, "valueBoolean", at).value_or(false);
    return done(in, std::move(o));
}

// ---------------------------------------------------------------- Location

json location(const interop::DirLocation& l, Lang lang) {
    json r = {{"resourceType", "Location"}, {"id", std::to_string(l.id)}, {"language", std::string(code(lang))}};
    json extensions = json::array();
    if (!l.accessibility_fr.empty() || !l.accessibility_en.empty()) {
        json e = {{"url", ext_accessibility}};
        put_text(e, "valueString", lang, l.accessibility_fr, l.accessibility_en, Text::optional);
        extensions.push_back(std::move(e));
    }
    extensions.push_back(boolean_extension(ext_step_free_access, l.step_free_access));
    r["extension"] = std::move(extensions);
    r["identifier"] = identifiers(sid_site, l.id);
    r["status"] = "active";
    put_text(r, "name", lang, l.name_fr, l.name_en, Text::name);
    put_alias(r, lang, l.name_fr, l.name_en);
    r["mode"] = "instance";
    if (!l.phone.empty()) r["telecom"] = json::array({{{"system", "phone"}, {"value", l.phone}}});
    if (!l.address.empty() || !l.city.empty() || !l.postal_code.empty()) {
        json a = {{"use", "work"}, {"type", "physical"}};
        if (!l.address.empty()) a["line"] = json::array({l.address});
        put(a, "city", l.city);
        put(a, "postalCode", l.postal_code);
        a["country"] = "CA";
        r["address"] = std::move(a);
    }
    if (l.organisation_id > 0) r["managingOrganization"] = {{"reference", reference("Organization", l.organisation_id)}};
    put_text(r, "availabilityExceptions", lang, l.hours_fr, l.hours_en, Text::optional);
    return r;
}

Result<interop::DirLocation> location_from(const json& r, Lang lang) {
    Reader in;
    if (!in.resource(r, "Location")) return Error::invalid(std::move(in.errors));
    const std::string p = "Location";
    interop::DirLocation l;
    l.id = in.id(r, p, sid_site);
    const auto aliases = in.strings(r, "alias", p);
    in.text(r, "name", p, lang, l.name_fr, l.name_en, Text::name, aliases.empty() ? std::string() : aliases.front());
    in.telecom(r, p, &l.phone, nullptr, nullptr);
    if (const json* a = in.object(r, "address", p)) {
        const auto at = p + ".address";
        for (const auto& line : in.strings(*a, "line", at)) l.address += (l.address.empty() ? "" : ", ") + line;
        l.city = in.string(*a, "city", at);
        l.postal_code = in.string(*a, "postalCode", at);
    }
    l.organisation_id = in.reference(r, "managingOrganization", p, "Organization").value_or(0);
    in.text(r, "availabilityExceptions", p, lang, l.hours_fr, l.hours_en, Text::optional);
    if (const auto [e, at] = in.extension_at(r, ext_accessibility, p); e)
        in.text(*e, "valueString", at, lang, l.accessibility_fr, l.accessibility_en, Text::optional);
    if (const auto [e, at] = in.extension_at(r, ext_step_free_access, p); e)
        l.step_free_access = in.boolean(*e, "valueBoolean", at).value_or(false);
    return done(in, std::move(l));
}

// ---------------------------------------------------------------- HealthcareService

json healthcare_service(const interop::DirService& s, const interop::DirectorySnapshot& d, Lang lang) {
    json r = {{"resourceType", "HealthcareService"}, {"id", std::to_string(s.id)}, {"language", std::string(code(lang))}};

    json extensions = json::array({boolean_extension(ext_fls_designated, s.fls_designated)});
    if (!s.contact_name.empty()) extensions.push_back({{"url", ext_contact_name}, {"valueString", s.contact_name}});
    json waitlist = json::array();
    if (valid_code(s.waitlist_status)) waitlist.push_back({{"url", "status"}, {"valueCode", s.waitlist_status}});
    if (s.wait_weeks) waitlist.push_back({{"url", "weeks"}, {"valueInteger", *s.wait_weeks}});
    if (valid_date_time(s.waitlist_updated_at))
        waitlist.push_back({{"url", "updated"}, {"valueDateTime", s.waitlist_updated_at}});
    if (!waitlist.empty()) extensions.push_back({{"url", ext_waitlist}, {"extension", std::move(waitlist)}});
    r["extension"] = std::move(extensions);

    r["identifier"] = identifiers(sid_service, s.id);
    r["active"] = true;
    json provided_by = {{"reference", reference("Organization", s.organisation_id)}};
    if (const auto* o = find_organisation(d, s.organisation_id)) put(provided_by, "display", pick(lang, o->name_fr, o->name_en));
    r["providedBy"] = std::move(provided_by);

    json categories = json::array();
    for (const auto& c : s.categories) {
        json coding = {{"system", cs_service_category}, {"code", c}};
        if (const auto* t = find_term(d, c)) put(coding, "display", pick(lang, t->name_fr, t->name_en));
        categories.push_back({{"coding", json::array({coding})}});
    }
    put_array(r, "category", std::move(categories));

    json locations = json::array();
    for (auto site : s.site_ids) {
        json ref = {{"reference", reference("Location", site)}};
        if (const auto* l = find_location(d, site)) put(ref, "display", pick(lang, l->name_fr, l->name_en));
        locations.push_back(std::move(ref));
    }
    put_array(r, "location", std::move(locations));

    put_text(r, "name", lang, s.name_fr, s.name_en, Text::name);
    put_text(r, "comment", lang, s.description_fr, s.description_en, Text::optional);
    put_text(r, "extraDetails", lang, s.intake_fr, s.intake_en, Text::optional);

    json telecom = json::array();
    add_contact(telecom, "phone", s.phone);
    add_contact(telecom, "email", s.email);
    add_contact(telecom, "url", s.website);
    put_array(r, "telecom", std::move(telecom));

    if (!s.area_served_fr.empty() || !s.area_served_en.empty()) {
        json area = json::object();
        put_text(area, "display", lang, s.area_served_fr, s.area_served_en, Text::optional);
        r["coverageArea"] = json::array({area});
    }
    if (!s.fees_fr.empty() || !s.fees_en.empty()) {
        json fees = json::object();
        put_text(fees, "text", lang, s.fees_fr, s.fees_en, Text::optional);
        r["serviceProvisionCode"] = json::array({fees});
    }
    if (!s.eligibility_fr.empty() || !s.eligibility_en.empty() || s.age_min || s.age_max) {
        json eligibility = json::object();
        if (s.age_min || s.age_max) {
            json range = json::object();
            if (s.age_min) range["low"] = age(*s.age_min);
            if (s.age_max) range["high"] = age(*s.age_max);
            eligibility["extension"] = json::array({{{"url", ext_age_range}, {"valueRange", range}}});
        }
        put_text(eligibility, "comment", lang, s.eligibility_fr, s.eligibility_en, Text::optional);
        r["eligibility"] = json::array({eligibility});
    }

    json languages = json::array();
    for (const auto& l : s.languages)
        if (valid_code(l)) languages.push_back({{"coding", json::array({{{"system", cs_bcp47}, {"code", bcp47_of(l)}}})}});
    put_array(r, "communication", std::move(languages));

    if (!s.access_fr.empty() || !s.access_en.empty()) {
        json access = json::object();
        put_text(access, "text", lang, s.access_fr, s.access_en, Text::optional);
        r["referralMethod"] = json::array({access});
    }
    return r;
}

Result<interop::DirService> healthcare_service_from(const json& r, Lang lang) {
    Reader in;
    if (!in.resource(r, "HealthcareService")) return Error::invalid(std::move(in.errors));
    const std::string p = "HealthcareService";
    interop::DirService s;
    s.id = in.id(r, p, sid_service);
    s.organisation_id = in.reference(r, "providedBy", p, "Organization").value_or(0);

    if (const auto [e, at] = in.extension_at(r, ext_fls_designated, p); e)
        s.fls_designated = in.boolean(*e, "valueBoolean", at).value_or(false);
    if (const auto [e, at] = in.extension_at(r, ext_contact_name, p); e) s.contact_name = in.string(*e, "valueString", at);
    if (const auto [e, at] = in.extension_at(r, ext_waitlist, p); e) {
        for (const auto& [part, part_at] : in.objects(*e, "extension", at)) {
            const auto url = in.string(*part, "url", part_at);
            if (url == "status") s.waitlist_status = in.string(*part, "valueCode", part_at);
            if (url == "weeks") s.wait_weeks = in.integer(*part, "valueInteger", part_at);
            if (url == "updated") {
                s.waitlist_updated_at = in.string(*part, "valueDateTime", part_at);
                if (!s.waitlist_updated_at.empty() && !valid_date_time(s.waitlist_updated_at))
                    in.fail(part_at + ".valueDateTime", "fhir.invalid.datetime");
            }
        }
    }

    for (const auto& [c, at] : in.objects(r, "category", p))
        for (const auto& [coding, coding_at] : in.objects(*c, "coding", at))
            if (in.string(*coding, "system", coding_at) == cs_service_category)
                if (auto code = in.string(*coding, "code", coding_at); !code.empty()) s.categories.push_back(code);
    for (const auto& [l, at] : in.objects(r, "location", p))
        if (auto id = in.reference_of(*l, at, "Location")) s.site_ids.push_back(*id);

    in.text(r, "name", p, lang, s.name_fr, s.name_en, Text::name);
    in.text(r, "comment", p, lang, s.description_fr, s.description_en, Text::optional);
    in.text(r, "extraDetails", p, lang, s.intake_fr, s.intake_en, Text::optional);
    in.telecom(r, p, &s.phone, &s.email, &s.website);

    if (const auto areas = in.objects(r, "coverageArea", p); !areas.empty())
        in.text(*areas.front().first, "display", areas.front().second, lang, s.area_served_fr, s.area_served_en, Text::optional);
    if (const auto fees = in.objects(r, "serviceProvisionCode", p); !fees.empty())
        in.text(*fees.front().first, "text", fees.front().second, lang, s.fees_fr, s.fees_en, Text::optional);
    if (const auto all = in.objects(r, "eligibility", p); !all.empty()) {
        const auto& [e, at] = all.front();
        in.text(*e, "comment", at, lang, s.eligibility_fr, s.eligibility_en, Text::optional);
        if (const auto [ext, ext_at] = in.extension_at(*e, ext_age_range, at); ext)
            if (const json* range = in.object(*ext, "valueRange", ext_at)) {
                const auto range_at = ext_at + ".valueRange";
                if (const json* low = in.object(*range, "low", range_at))
                    s.age_min = in.integer(*low, "value", range_at + ".low");
                if (const json* high = in.object(*range, "high", range_at))
                    s.age_max = in.integer(*high, "value", range_at + ".high");
            }
    }
    for (const auto& [c, at] : in.objects(r, "communication", p))
        for (const auto& [coding, coding_at] : in.objects(*c, "coding", at))
            if (in.string(*coding, "system", coding_at) == cs_bcp47)
                if (auto tag = in.string(*coding, "code", coding_at); !tag.empty()) s.languages.push_back(ours_of(tag));
    if (const auto methods = in.objects(r, "referralMethod", p); !methods.empty())
        in.text(*methods.front().first, "text", methods.front().second, lang, s.access_fr, s.access_en, Text::optional);
    return done(in, std::move(s));
}

// ---------------------------------------------------------------- Bundle, OperationOutcome

json searchset(const std::string& base, const std::string& resource_type, const std::string& query, std::vector<json> resources,
               std::optional<std::int64_t> total, int count, int offset) {
    if (count < 1) count = 1;
    if (offset < 0) offset = 0;
    if (total && *total < 0) total = 0;
    std::vector<std::string> kept;
    std::string_view q(query);
    if (!q.empty() && q.front() == '?') q.remove_prefix(1);
    for (const auto& part : split_on(q, '&')) {
        if (part.empty()) continue;
        const auto name = std::string_view(part).substr(0, part.find('='));
        if (name == "_count" || name == "_offset") continue;
        kept.push_back(url_safe(part));
    }
    const auto safe_base = url_safe(base);
    json links = json::array({{{"relation", "self"}, {"url", page_url(safe_base, resource_type, kept, count, offset)}}});
    // Without a total, a full page may have a next one (possibly empty).
    const bool more =
        total ? offset + static_cast<std::int64_t>(count) < *total : resources.size() == static_cast<std::size_t>(count);
    if (more) links.push_back({{"relation", "next"}, {"url", page_url(safe_base, resource_type, kept, count, offset + count)}});
    if (offset > 0)
        links.push_back(
            {{"relation", "previous"}, {"url", page_url(safe_base, resource_type, kept, count, std::max(0, offset - count))}});
    json b = {{"resourceType", "Bundle"}, {"type", "searchset"}};
    if (total) b["total"] = *total;
    b["link"] = std::move(links);
    json entries = json::array();
    for (auto& resource : resources) {
        json entry = json::object();
        const bool typed = resource.is_object() && resource.contains("resourceType") && resource["resourceType"].is_string();
        const auto type = typed ? resource["resourceType"].get<std::string>() : resource_type;
        if (resource.is_object() && resource.contains("id") && resource["id"].is_string())
            entry["fullUrl"] = safe_base + "/" + url_safe(type) + "/" + url_safe(resource["id"].get<std::string>());
        entry["resource"] = std::move(resource);
        entry["search"] = {{"mode", "match"}};
        entries.push_back(std::move(entry));
    }
    put_array(b, "entry", std::move(entries));
    return b;
}

json operation_outcome(const std::string& code, const std::string& diagnostics, const std::vector<std::string>& parameters) {
    json issue = {{"severity", "error"}, {"code", code}};
    put(issue, "diagnostics", diagnostics);
    json locations = json::array();
    for (const auto& name : parameters)
        if (!name.empty()) locations.push_back("http." + name);
    put_array(issue, "location", std::move(locations));
    return {{"resourceType", "OperationOutcome"}, {"issue", json::array({issue})}};
}

}  // namespace arrimage::web::fhir
