// Contacts of e-mail surveys (issue 14): CSV and API import (all or nothing, bad lines by
// number, deduplicated by e-mail), attributes, the suppression list, and what a viewer sees.
#include "contacts_import.hpp"
#include "email_store.hpp"
#include "http_support.hpp"
#include "storage_support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

httplib::Result import(Running& s, const json& body, const httplib::Headers& h = {}) {
  return s.client()->Post("/v1/admin/contacts/import", h.empty() ? s.admin() : h, body.dump(),
                          "application/json");
}

std::string token_for(Running& s, const std::string& role) {
  auto r = s.client()->Post("/v1/admin/tokens", s.admin(), json{{"role", role}, {"name", role}}.dump(),
                            "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  return body_of(r)["token"];
}

} // namespace

TEST_CASE("contacts: a CSV with quoted cells, a byte order mark and CRLF lines reads into contacts with "
          "attributes",
          "[contacts]") {
  const std::string csv = "\xEF\xBB\xBF"
                          "Email,name,locale,plan,country\r\n"
                          "ana@example.com,\"García, Ana\",es-mx,pro,ES\r\n"
                          "\"bo@example.com\",\"Bo \"\"the\"\" Builder\",,free,\r\n"
                          "ANA@Example.com,Ana G.,,team,ES\r\n";
  const auto r = read_contacts_csv(csv, 100);
  REQUIRE(r.errors.empty());
  REQUIRE(r.contacts.size() == 2);
  CHECK(r.merged == 1);
  CHECK(r.contacts[0].email == "ANA@Example.com"); // the later line wins
  CHECK(r.contacts[0].name == "Ana G.");
  CHECK(r.contacts[0].attributes == json{{"plan", "team"}, {"country", "ES"}});
  CHECK(r.contacts[1].name == "Bo \"the\" Builder");
  CHECK(r.contacts[1].attributes == json{{"plan", "free"}});
  CHECK(read_contacts_csv("email\nx@y.io\n", 100).contacts.size() == 1);
  CHECK(read_contacts_csv("email,name\n\"a@b.io\nc\",x\n", 100).errors.size() == 1);
}

TEST_CASE("contacts: every bad line is reported by its number and field, and then nothing is read",
          "[contacts]") {
  const std::string csv = "email,name,locale\n"
                          "good@example.com,Good,en\n"
                          "not-an-address,Bad,en\n"
                          "x@example.com,X,not a tag!\n"
                          "only-one-cell@example.com\n"
                          ",Nobody,en\n";
  const auto r = read_contacts_csv(csv, 100);
  CHECK(r.contacts.empty());
  std::vector<std::string> paths;
  for (const auto& e : r.errors)
    paths.push_back(e.path);
  CHECK(paths == std::vector<std::string>{"line 3: email", "line 4: locale", "line 5", "line 6: email"});
  CHECK(read_contacts_csv("name\nx\n", 10).errors.at(0).path == "line 1: email");
  CHECK(read_contacts_csv("email,email\n", 10).errors.at(0).code == ApiCode::duplicate_key);
  CHECK(read_contacts_csv("email\n\"a@b.io\n", 10).errors.at(0).path == "line 2");
  CHECK(read_contacts_csv("email\na@b.io\nc@d.io\n", 1).errors.at(0).code == ApiCode::too_many);
  CHECK(email_key(" Ana@Example.COM ") == "ana@example.com");
  for (const std::string bad :
       {"a@b", "@b.io", "a@@b.io", "a b@c.io", "a@b..io", "a@.io", "a@b.io.", "<a@b.io>"})
    CHECK(email_key(bad).empty());
}

TEST_CASE("contacts: an import over the API is all or nothing and deduplicates by e-mail in any case",
          "[server][contacts]") {
  Running s;
  auto ok = import(s, {{"csv", "email,name,plan\nana@example.com,Ana,pro\nbo@example.com,Bo,free\n"}});
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(body_of(ok)["created"] == 2);
  auto bad = import(s, {{"csv", "email,name\ncy@example.com,Cy\nnope,Nope\n"}});
  CHECK(bad->status == 400);
  CHECK(body_of(bad)["errors"][0]["path"] == "line 3: email");
  CHECK(s.server->storage().email().count_contacts() == 2); // Cy was not half-imported
  auto again = import(
      s, {{"contacts", json::array({{{"email", "ANA@example.com"}, {"attributes", {{"country", "ES"}}}}})}});
  CHECK(body_of(again)["updated"] == 1);
  CHECK(body_of(again)["total"] == 2);
  const auto list = s.server->storage().email().contacts(std::nullopt, 10);
  REQUIRE(list.size() == 2);
  CHECK(list[0].name == "Ana"); // kept: the update gave no name
  CHECK(list[0].attributes == json{{"plan", "pro"}, {"country", "ES"}});
  CHECK(import(s, {{"contacts", json::array({{{"email", "d@example.com"}, {"phone", "1"}}})}})->status ==
        400);
  CHECK(import(s, {{"csv", "email\na@b.io\n"}, {"contacts", json::array()}})->status == 400);
}

TEST_CASE("contacts: a viewer sees contacts without e-mail, name or external id, an analyst sees them",
          "[server][contacts]") {
  Running s;
  REQUIRE(
      import(s, {{"csv", "email,name,external_id,plan\nana@example.com,Ana García,crm-1,pro\n"}})->status ==
      200);
  const auto viewer = token_for(s, "viewer");
  const auto analyst = token_for(s, "analyst");
  auto as_viewer = s.client()->Get("/v1/admin/contacts", {{"Authorization", "Bearer " + viewer}});
  REQUIRE(as_viewer);
  CHECK(as_viewer->status == 200);
  CHECK(as_viewer->body.find("ana@example.com") == std::string::npos);
  CHECK(as_viewer->body.find("Ana") == std::string::npos);
  CHECK(as_viewer->body.find("crm-1") == std::string::npos);
  CHECK(body_of(as_viewer)["total"] == 1);
  auto one = s.client()->Get("/v1/admin/contacts/1", {{"Authorization", "Bearer " + viewer}});
  CHECK(one->body.find("ana@example.com") == std::string::npos);
  auto as_analyst = s.client()->Get("/v1/admin/contacts", {{"Authorization", "Bearer " + analyst}});
  CHECK(body_of(as_analyst)["items"][0]["email"] == "ana@example.com");
  CHECK(body_of(as_analyst)["items"][0]["attributes"]["plan"] == "pro");
  // Importing and suppressing need an editor.
  CHECK(import(s, {{"csv", "email\nx@y.io\n"}}, {{"Authorization", "Bearer " + analyst}})->status == 403);
  CHECK(s.client()->Get("/v1/admin/suppressions", {{"Authorization", "Bearer " + viewer}})->status == 403);
}

TEST_CASE("contacts: a suppressed address is marked on its contact, whatever its case, and stays suppressed",
          "[server][contacts]") {
  Running s;
  REQUIRE(import(s, {{"csv", "email\nAna@Example.com\nbo@example.com\n"}})->status == 200);
  auto c = s.client();
  auto r = c->Post("/v1/admin/suppressions", s.admin(),
                   R"({"email":"ana@EXAMPLE.com","reason":"unsubscribed"})", "application/json");
  CHECK(r->status == 201);
  CHECK(c->Post("/v1/admin/suppressions", s.admin(), R"({"email":"ana@example.com","reason":"bounced"})",
                "application/json")
            ->status == 200);
  CHECK(c->Post("/v1/admin/suppressions", s.admin(), R"({"email":"ana@example.com","reason":"tired"})",
                "application/json")
            ->status == 400);
  const auto list = s.server->storage().email().contacts(std::nullopt, 10);
  CHECK(list[0].suppressed == "unsubscribed");
  CHECK_FALSE(list[1].suppressed);
  CHECK(body_of(c->Get("/v1/admin/suppressions", s.admin()))["items"][0]["reason"] == "unsubscribed");
  CHECK(c->Delete("/v1/admin/contacts/2", s.admin())->status == 204);
  CHECK(c->Delete("/v1/admin/contacts/2", s.admin())->status == 404);
}

TEST_CASE("storage: contacts import in one transaction, merge on e-mail, and suppressions are kept",
          "[storage][contacts]") {
  TempDir dir;
  auto st = open_test_storage(dir, "contacts");
  auto& e = st->email();
  ContactInput a;
  a.email = "Ana@Example.com";
  a.name = "Ana";
  a.locale = "es";
  a.attributes = {{"plan", "pro"}};
  ContactInput b;
  b.email = "bo@example.com";
  auto first = e.import_contacts({a, b}, 1000);
  CHECK(first.created == 2);
  ContactInput a2;
  a2.email = "ana@example.com";
  a2.attributes = {{"country", "ES"}};
  auto second = e.import_contacts({a2}, 2000);
  CHECK(second.updated == 1);
  CHECK(e.count_contacts() == 2);
  auto got = e.contact(1);
  REQUIRE(got);
  CHECK(got->email == "ana@example.com");
  CHECK(got->name == "Ana");
  CHECK(got->locale == "es");
  CHECK(got->attributes == json{{"plan", "pro"}, {"country", "ES"}});
  CHECK(got->updated_at == 2000);
  CHECK(e.suppress("ANA@example.com", "bounced", 3000));
  CHECK_FALSE(e.suppress("ana@example.com", "unsubscribed", 4000));
  CHECK(e.contact(1)->suppressed == "bounced");
  CHECK(e.suppressions().size() == 1);
  CHECK(e.contacts(1, 10).size() == 1);
  CHECK(e.delete_contact(2));
  CHECK(e.count_contacts() == 1);
}
