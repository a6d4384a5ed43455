// The public HSDS 3.0 API through the real HTTP server, on the backend under test (SQLite:
// label db, PostgreSQL: label pg), with the demo directory; responses are validated against
// the official HSDS 3.0 schemas (../shared/reference/hsds-3.0) with Debian's python3-jsonschema.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "db/test_support.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "http/server.hpp"
#include "interop/uuid.hpp"
#include "web/app.hpp"

using namespace arrimage;
using nlohmann::json;
using testsupport::Client;
using testsupport::enc;

namespace fs = std::filesystem;

class HsdsWeb : public testsupport::DemoServerTest {
  protected:
    void configure(web::Config& cfg) override { cfg.limits.upload_paths = web::upload_paths(); }
    json get_json(const std::string& target, int status = 200) {
        Client c(port_);
        auto r = c.get(target);
        EXPECT_EQ(r.status, status) << target << "\n" << r.body;
        EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8") << target;
        auto j = json::parse(r.body, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << target;
        return j;
    }
};

TEST_F(HsdsWeb, ListsArePagedAndPublic) {
    auto all = get_json("/api/hsds/services?per_page=500");
    const auto total = all["total_items"].get<int>();
    ASSERT_GT(total, 10);
    EXPECT_EQ(all["size"], total);
    auto p = get_json("/api/hsds/services?page=2&per_page=5");
    EXPECT_EQ(p["page_number"], 2);
    EXPECT_EQ(p["size"], 5);
    EXPECT_EQ(p["total_pages"], (total + 4) / 5);
    EXPECT_FALSE(p["first_page"].get<bool>());
    EXPECT_EQ(p["contents"][0]["id"], all["contents"][5]["id"]);
    for (const auto* path : {"/api/hsds/organizations", "/api/hsds/locations", "/api/hsds/service_at_locations",
                             "/api/hsds/taxonomies", "/api/hsds/taxonomy_terms"}) {
        auto j = get_json(path);
        EXPECT_GT(j["total_items"].get<int>(), 0) << path;
    }
    // Pages are cut by the database: walking them with a small page size gives the whole list,
    // in the same order, for every paged kind; each record is reachable by its id.
    for (const std::string kind : {"services", "organizations", "locations", "service_at_locations"}) {
        const auto whole = get_json("/api/hsds/" + kind + "?per_page=500");
        std::vector<json> walked;
        const int pages = (whole["total_items"].get<int>() + 6) / 7;
        for (int n = 1; n <= pages + 1; ++n) {
            auto page = get_json("/api/hsds/" + kind + "?per_page=7&page=" + std::to_string(n));
            EXPECT_EQ(page["total_items"], whole["total_items"]) << kind;
            EXPECT_EQ(page["last_page"].get<bool>(), n >= pages) << kind << " page " << n;
            for (const auto& item : page["contents"]) walked.push_back(item);
        }
        ASSERT_EQ(walked.size(), whole["contents"].size()) << kind;
        for (std::size_t i = 0; i < walked.size(); ++i) EXPECT_EQ(walked[i], whole["contents"][i]) << kind << " item " << i;
        const auto& last = whole["contents"].back();
        auto one = get_json("/api/hsds/" + kind + "/" + last["id"].get<std::string>());
        EXPECT_EQ(one["id"], last["id"]) << kind;
        EXPECT_EQ(one.value("name", json()), last.value("name", json())) << kind;
        if (kind == "service_at_locations" || kind == "locations") {
            EXPECT_EQ(one, last);
        }
        if (kind == "locations") {
            // Same record in French: same id, the other language's name as alternate_name.
            auto fr = get_json("/api/hsds/locations/" + last["id"].get<std::string>() + "?lang=fr");
            EXPECT_EQ(fr["id"], last["id"]);
            EXPECT_EQ(fr.value("alternate_name", json()), last["name"]);
        }
        // An unknown id, or the id of another kind of record, is not found.
        get_json("/api/hsds/" + kind + "/" + interop::hsds_id(kind.substr(0, kind.size() - 1), 424242), 404);
        get_json("/api/hsds/" + kind + "/" + interop::hsds_id("address", 1), 404);
    }
    get_json("/api/hsds/services?page=0", 400);
    get_json("/api/hsds/services?per_page=abc", 400);
    get_json("/api/hsds/services?lang=de", 400);
}

TEST_F(HsdsWeb, OneRecordByStableIdInEitherLanguage) {
    auto list = get_json("/api/hsds/services?per_page=1");
    const auto id = list["contents"][0]["id"].get<std::string>();
    EXPECT_TRUE(interop::valid_uuid(id));
    auto en = get_json("/api/hsds/services/" + id);
    auto fr = get_json("/api/hsds/services/" + id + "?lang=fr");
    EXPECT_EQ(en["id"], fr["id"]);
    EXPECT_EQ(en["name"], fr["alternate_name"]);
    EXPECT_EQ(en["organization"]["id"], en["organization_id"]);
    get_json("/api/hsds/services/" + interop::hsds_id("service", 999999), 404);
    get_json("/api/hsds/services/not-a-uuid", 404);
    auto org = get_json("/api/hsds/organizations/" + en["organization_id"].get<std::string>());
    EXPECT_EQ(org["id"], en["organization_id"]);
}

TEST_F(HsdsWeb, ResponsesValidateAgainstTheOfficialSchemas) {
    const fs::path schemas = fs::path(ARRIMAGE_SOURCE_DIR) / ".." / "shared" / "reference" / "hsds-3.0" / "schema";
    if (!fs::exists(schemas / "compiled" / "service.json"))
        GTEST_SKIP() << "HSDS 3.0 schemas not found at " << schemas << ": schema validation skipped";
    if (std::system("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "python3-jsonschema is not installed (scripts/install-deps): schema validation skipped";
    const fs::path dir = fs::temp_directory_path() / ("arrimage-hsds-" + std::to_string(port_));
    fs::create_directories(dir);
    auto save = [&](const std::string& name, const json& j) { std::ofstream(dir / name) << j.dump(); };
    auto services = get_json("/api/hsds/services?per_page=500");
    std::vector<std::pair<std::string, std::string>> checks;  // file, schema
    int n = 0;
    for (const auto& s : services["contents"]) {
        const auto name = "service" + std::to_string(n++) + ".json";
        save(name, get_json("/api/hsds/services/" + s["id"].get<std::string>() + (n % 2 ? "?lang=fr" : "")));
        checks.emplace_back(name, "compiled/service.json");
    }
    auto orgs = get_json("/api/hsds/organizations");
    for (const auto& o : orgs["contents"]) {
        const auto name = "organization" + std::to_string(n++) + ".json";
        save(name, get_json("/api/hsds/organizations/" + o["id"].get<std::string>()));
        checks.emplace_back(name, "compiled/organization.json");
    }
    const auto locations = get_json("/api/hsds/locations?per_page=500&lang=fr");
    ASSERT_GT(locations["size"].get<int>(), 0);
    for (const auto& l : locations["contents"]) {
        const auto name = "location" + std::to_string(n++) + ".json";
        save(name, get_json("/api/hsds/locations/" + l["id"].get<std::string>()));
        checks.emplace_back(name, "location.json");
    }
    const auto sals = get_json("/api/hsds/service_at_locations");  // keep the document alive while iterating
    for (const auto& sal : sals["contents"]) {
        const auto name = "sal" + std::to_string(n++) + ".json";
        save(name, sal);
        checks.emplace_back(name, "compiled/service_at_location.json");
    }
    const auto terms = get_json("/api/hsds/taxonomy_terms?lang=fr");
    for (const auto& t : terms["contents"]) {
        const auto name = "term" + std::to_string(n++) + ".json";
        save(name, t);
        checks.emplace_back(name, "taxonomy_term.json");
    }
    save("taxonomy.json", get_json("/api/hsds/taxonomies")["contents"][0]);
    checks.emplace_back("taxonomy.json", "taxonomy.json");

    // Draft 2020-12, sibling $refs resolved against the schema folder.
    std::ofstream script(dir / "validate.py");
    script << "import json, sys, pathlib\n"
              "import jsonschema\n"
              "base = pathlib.Path(sys.argv[1])\n"
              "def load(p):\n"
              "    return json.loads(p.read_text())\n"
              "def validator(schema):\n"
              "    try:\n"
              "        from referencing import Registry, Resource\n"
              "        from referencing.jsonschema import DRAFT202012\n"
              "        reg = Registry(retrieve=lambda uri: Resource.from_contents(load(base / uri.split('/')[-1]), "
              "default_specification=DRAFT202012))\n"
              "        return jsonschema.Draft202012Validator(schema, registry=reg)\n"
              "    except ImportError:\n"
              "        res = jsonschema.RefResolver(base_uri=base.as_uri() + '/', referrer=schema)\n"
              "        return jsonschema.Draft202012Validator(schema, resolver=res)\n"
              "bad = 0\n"
              "for line in pathlib.Path(sys.argv[2]).read_text().splitlines():\n"
              "    doc, schema = line.split(' ')\n"
              "    v = validator(load(base / schema))\n"
              "    for e in v.iter_errors(load(pathlib.Path(sys.argv[3]) / doc)):\n"
              "        bad += 1\n"
              "        print(doc, schema, list(e.absolute_path), e.message[:300])\n"
              "sys.exit(1 if bad else 0)\n";
    script.close();
    std::ofstream list(dir / "checks.txt");
    for (const auto& [doc, schema] : checks) list << doc << " " << schema << "\n";
    list.close();
    const auto cmd = "/usr/bin/python3 " + (dir / "validate.py").string() + " " + schemas.string() + " " +
                     (dir / "checks.txt").string() + " " + dir.string() + " > " + (dir / "out.txt").string() + " 2>&1";
    const int rc = std::system(cmd.c_str());
    std::ifstream out(dir / "out.txt");
    const std::string report((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
    EXPECT_EQ(rc, 0) << report;
    fs::remove_all(dir);
}

// ---- the coordinating agency's upload page

namespace {

using Files = std::vector<std::tuple<std::string, std::string, std::string>>;

// A small valid set with ids of its own (so it never collides with the demo directory).
Files upload_set(const std::string& service_name) {
    const auto org = interop::hsds_id("organization", 910001), loc = interop::hsds_id("location", 910001),
               svc = interop::hsds_id("service", 910001), term = interop::hsds_id("taxonomy_term", std::string("autism"));
    return {
        {"files", "organizations.csv", "id,name,description\r\n" + org + ",Uploaded Test Agency,Uploaded Test Agency\r\n"},
        {"files", "locations.csv", "id,location_type,organization_id,name\r\n" + loc + ",physical," + org + ",Upload office\r\n"},
        {"files", "addresses.csv",
         "id,location_id,address_1,city,state_province,postal_code,country,address_type\r\n" +
             interop::hsds_id("address", 910001) + "," + loc + ",1 Upload St,Villefictive,ON,K0C 1N0,CA,physical\r\n"},
        {"files", "services.csv",
         "id,organization_id,name,description,status,wait_time\r\n" + svc + "," + org + "," + service_name +
             ",Zythophone lessons for families,active,3 weeks\r\n"},
        {"files", "service_at_location.csv",
         "id,service_id,location_id\r\n" + interop::hsds_id("sal", 910001) + "," + svc + "," + loc + "\r\n"},
        {"files", "languages.csv", "id,service_id,code\r\n" + interop::hsds_id("language", 910001) + "," + svc + ",fr\r\n"},
        {"files", "taxonomy_terms.csv", "id,code,name,description\r\n" + term + ",autism,Autism,Autism\r\n"},
        {"files", "attributes.csv",
         "id,link_id,link_type,link_entity,taxonomy_term_id,value\r\n" + interop::hsds_id("attribute", 910001) + "," + svc +
             ",service,service," + term + ",\r\n"},
    };
}

}  // namespace

TEST_F(HsdsWeb, TheCoordinatingAgencyImportsACsvSetFromTheBrowser) {
    Client c(port_);
    ASSERT_EQ(
        c.submit("/login", "/login", "email=" + enc("ca.admin@demo.arrimage.invalid") + "&password=" + enc(app::demo_password))
            .status,
        303);
    c.set_cookie("arrimage_lang", "en");  // the demo administrator prefers French
    auto page = c.get("/directory/hsds/import");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("enctype=\"multipart/form-data\""));
    const auto csrf = Client::csrf(page.body);
    auto count = [&] {
        auto tx = t_->db->begin(store::TxMode::read);
        return tx->query_one("SELECT COUNT(*) FROM services")->i64(0);
    };
    const auto before = count();
    const std::string sda = [&] {
        auto tx = t_->db->begin(store::TxMode::read);
        return std::to_string(tx->query_one("SELECT id FROM service_delivery_areas ORDER BY id")->i64(0));
    }();
    // The search is made (and cached) before the import: the import must show in it at once.
    EXPECT_FALSE(c.get("/services?q=zythophone").has("Zythophone Club"));

    // Check only: everything validated, nothing kept.
    auto r = c.post_multipart("/directory/hsds/import",
                              {{"_csrf", csrf}, {"sda_id", sda}, {"sector", "education"}, {"check_only", "1"}},
                              upload_set("Zythophone Club"));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.has("Everything is valid. Importing would add 1 organisation(s), 1 location(s) and 1 service(s)."));
    EXPECT_EQ(count(), before);

    // A bad row: the report names file, line, field and problem, in French; nothing kept.
    auto bad = upload_set("Zythophone Club");
    std::get<2>(bad[3]) = "id,organization_id,name,description,status,wait_time\r\n" + interop::hsds_id("service", 910001) + "," +
                          interop::hsds_id("organization", 910001) + ",Zythophone Club,Lessons,active,-5 weeks\r\n";
    c.accept_language = "fr";
    c.set_cookie("arrimage_lang", "fr");
    r = c.post_multipart("/directory/hsds/import", {{"_csrf", csrf}, {"sda_id", sda}, {"sector", "education"}}, bad);
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("services.csv")) << r.body;
    EXPECT_TRUE(r.has("wait_time"));
    EXPECT_TRUE(r.has("Le délai d’attente est négatif ou trop long."));
    EXPECT_TRUE(r.has("Rien n’a été importé"));
    EXPECT_EQ(count(), before);

    // Files that are not HSDS tables, no file at all, no area: field errors, nothing kept.
    r = c.post_multipart("/directory/hsds/import", {{"_csrf", csrf}, {"sda_id", sda}, {"sector", "education"}},
                         {{"files", "clients.xlsx", "PK\x03\x04"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("clients.xlsx n’est pas un fichier du format tabulaire HSDS 3.0."));
    r = c.post_multipart("/directory/hsds/import", {{"_csrf", csrf}, {"sector", "education"}}, {});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Sélectionnez au moins organizations.csv et services.csv."));
    // A forged or missing CSRF token changes nothing.
    r = c.post_multipart("/directory/hsds/import", {{"_csrf", "forged"}, {"sda_id", sda}, {"sector", "education"}},
                         upload_set("Zythophone Club"));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(count(), before);

    // The import itself, then the public search finds it.
    c.accept_language = "en";
    c.set_cookie("arrimage_lang", "en");
    r = c.post_multipart("/directory/hsds/import", {{"_csrf", csrf}, {"sda_id", sda}, {"sector", "education"}},
                         upload_set("Zythophone Club"));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(count(), before + 1);
    EXPECT_TRUE(c.get(r.header("location")).has("Imported: 1 organisation(s), 1 location(s) and 1 service(s)."));
    EXPECT_TRUE(c.get("/services?q=zythophone").has("Zythophone Club"));
}

// A set with two addresses for one location (postal, then physical) is imported; the page says
// which row was left out, in the user's language.
TEST_F(HsdsWeb, AnImportWithRowsLeftOutSaysWhich) {
    Client c(port_);
    ASSERT_EQ(
        c.submit("/login", "/login", "email=" + enc("ca.admin@demo.arrimage.invalid") + "&password=" + enc(app::demo_password))
            .status,
        303);
    const auto csrf = Client::csrf(c.get("/directory/hsds/import").body);
    const std::string sda = [&] {
        auto tx = t_->db->begin(store::TxMode::read);
        return std::to_string(tx->query_one("SELECT id FROM service_delivery_areas ORDER BY id")->i64(0));
    }();
    auto set = upload_set("Zythophone Club");
    const auto loc = interop::hsds_id("location", 910001);
    std::get<2>(set[2]) = "id,location_id,address_1,city,state_province,postal_code,country,address_type\r\n" +
                          interop::hsds_id("address", 910002) + "," + loc + ",CP 44,Villefictive,ON,K0C 1N0,CA,postal\r\n" +
                          interop::hsds_id("address", 910001) + "," + loc +
                          ",1 Upload St,Villefictive,ON,K0C 1N0,CA,physical\r\n";
    auto r = c.post_multipart("/directory/hsds/import",
                              {{"_csrf", csrf}, {"sda_id", sda}, {"sector", "education"}, {"check_only", "1"}}, set);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.has("1 ligne(s) laissée(s) de côté : Arrimage garde une valeur par enregistrement"));  // the demo administrator
                                                                                                         // prefers French
    EXPECT_TRUE(r.has("<td>addresses.csv</td><td>2</td><td>location_id</td>")) << r.body;
    r = c.post_multipart("/directory/hsds/import", {{"_csrf", csrf}, {"sda_id", sda}, {"sector", "education"}}, set);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.has("addresses.csv"));
    EXPECT_TRUE(r.has("Arrimage garde une seule de ces valeurs par enregistrement"));
    auto tx = t_->db->begin(store::TxMode::read);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM sites WHERE address = '1 Upload St'")->i64(0), 1);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM sites WHERE address = 'CP 44'")->i64(0), 0);
}

TEST_F(HsdsWeb, OnlyTheCoordinatingAgencyMayImport) {
    Client c(port_);
    ASSERT_EQ(
        c.submit("/login", "/login", "email=" + enc("manager1@demo.arrimage.invalid") + "&password=" + enc(app::demo_password))
            .status,
        303);
    EXPECT_EQ(c.get("/directory/hsds/import").status, 403);
    const auto csrf = Client::csrf(c.get("/account").body);
    auto r = c.post_multipart("/directory/hsds/import", {{"_csrf", csrf}, {"sda_id", "1"}, {"sector", "education"}},
                              upload_set("Zythophone Club"));
    EXPECT_EQ(r.status, 403);
    Client visitor(port_);
    EXPECT_EQ(visitor.get("/directory/hsds/import").status, 303);  // to the sign-in page
}

TEST_F(HsdsWeb, UploadsMayExceedTheUsualBodyLimitOnlyOnTheUploadPage) {
    const std::string big(2 * 1024 * 1024, 'a');  // above the 1 MiB default, below the upload limit
    Client c(port_);
    EXPECT_EQ(c.post("/login", "x=" + big).status, 413);
    Client u(port_);
    // Accepted by the server (then refused for want of a session and token, not for its size).
    EXPECT_NE(u.post_multipart("/directory/hsds/import", {{"x", big}}, {}).status, 413);
}
