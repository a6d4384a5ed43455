#include "web/view.hpp"

#include <kainjow/mustache.hpp>

#include <stdexcept>
#include <unordered_map>

namespace arrimage::embedded {
const std::map<std::string, std::string_view>& templates();
}

namespace arrimage::web {

namespace mst = kainjow::mustache;

namespace {

// Objects are filled in place (operator[] then move) because kainjow's set() and
// push_back() deep-copy their argument; only list elements are copied, once.
mst::data to_data(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::object: {
            mst::data d{mst::data::type::object};
            for (const auto& [k, v] : j.items()) {
                d[k] = to_data(v);
                // Lists get a has_<name> flag so templates can wrap a non-empty list.
                if (v.is_array()) d["has_" + k] = mst::data{!v.empty()};
            }
            return d;
        }
        case nlohmann::json::value_t::array: {
            mst::list items;
            items.reserve(j.size());
            for (const auto& v : j) items.push_back(to_data(v));
            return mst::data{items};
        }
        case nlohmann::json::value_t::string:
            return mst::data{j.get_ref<const std::string&>()};
        case nlohmann::json::value_t::boolean:
            return mst::data{j.get<bool>()};
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            return mst::data{j.dump()};
        default:
            return mst::data{false};
    }
}

// Messages as mustache strings keyed "t.<key>", per language, built once per thread.
struct MessageData {
    std::unordered_map<std::string, mst::data> fr, en;
};

// Resolves {{t.key}} from the catalogue and everything else from the view model.
class PageContext : public mst::context<std::string> {
  public:
    PageContext(const mst::data* model, const std::unordered_map<std::string, mst::data>& messages)
        : mst::context<std::string>(model), messages_(messages) {}
    const mst::data* get(const std::string& name) const override {
        if (name.size() > 2 && name[0] == 't' && name[1] == '.') {
            auto it = messages_.find(name);
            return it == messages_.end() ? nullptr : &it->second;
        }
        return mst::context<std::string>::get(name);
    }

  private:
    const std::unordered_map<std::string, mst::data>& messages_;
};

}  // namespace

Views::Views(const Catalogue& catalogue) : catalogue_(catalogue) {
    for (const auto& [path, text] : embedded::templates()) {
        std::string name = path;
        if (name.size() > 9 && name.ends_with(".mustache")) name.resize(name.size() - 9);
        mst::mustache probe{std::string(text)};
        if (!probe.is_valid()) throw std::runtime_error("template " + path + ": " + probe.error_message());
        sources_[name] = std::string(text);
    }
}

bool Views::has(const std::string& name) const {
    return sources_.contains(name);
}

std::string Views::render(const std::string& name, const nlohmann::json& model, Lang lang) const {
    thread_local std::map<const Views*, std::map<std::string, std::unique_ptr<mst::mustache>>> parsed;
    thread_local std::map<const Catalogue*, std::unique_ptr<MessageData>> messages;
    auto& mine = parsed[this];
    auto it = mine.find(name);
    if (it == mine.end()) {
        auto src = sources_.find(name);
        if (src == sources_.end()) throw std::runtime_error("no template " + name);
        it = mine.emplace(name, std::make_unique<mst::mustache>(src->second)).first;
    }
    auto& msgs = messages[&catalogue_];
    if (!msgs) {
        msgs = std::make_unique<MessageData>();
        for (const auto& [k, v] : catalogue_.all(Lang::fr)) msgs->fr.emplace("t." + k, mst::data{v});
        for (const auto& [k, v] : catalogue_.all(Lang::en)) msgs->en.emplace("t." + k, mst::data{v});
    }
    mst::data data = to_data(model);
    // Templates whose name starts with '_' are partials: {{> _form}}.
    for (const auto& [pname, psrc] : sources_)
        if (!pname.empty() && pname[0] == '_') data.set(pname, mst::partial{[&src = psrc] { return src; }});
    PageContext ctx(&data, lang == Lang::fr ? msgs->fr : msgs->en);
    return it->second->render(ctx);
}

nlohmann::json present(nlohmann::json row) {
    for (auto it = row.begin(); it != row.end();)
        if (it->is_string() && it->get_ref<const std::string&>().empty())
            it = row.erase(it);
        else
            ++it;
    return row;
}

}  // namespace arrimage::web
