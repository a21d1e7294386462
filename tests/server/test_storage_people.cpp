// The storage contract for users, sessions, tokens and follow-up items; run on SQLite and
// on PostgreSQL like test_storage.cpp.
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using npsd::test::open_test_storage;
using npsd::test::response;
using npsd::test::TempDir;

namespace {

constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15

SessionRecord session_of(const std::string& hash, std::optional<std::int64_t> user,
                         std::optional<std::int64_t> token, Millis at) {
  return SessionRecord{hash, user, token, Role::editor, "who", "csrf-" + hash, at, at + 3'600'000};
}

} // namespace

TEST_CASE("storage: an e-mail is taken whatever its case, and a user is found by it in any case",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "users");
  auto ann = db->add_user(UserRecord{0, "Ann@Example.com", Role::admin, "$argon2id$x", kT0});
  REQUIRE(ann);
  CHECK(ann->id > 0);
  CHECK_FALSE(db->add_user(UserRecord{0, "ann@example.COM", Role::viewer, "$argon2id$y", kT0}));
  auto bob = db->add_user(UserRecord{0, "bob@example.com", Role::viewer, "$argon2id$z", kT0});
  REQUIRE(bob);
  REQUIRE(db->users().size() == 2);
  CHECK(db->users()[0].email == "Ann@Example.com");
  const auto found = db->user_by_email("ANN@example.com");
  REQUIRE(found);
  CHECK(found->id == ann->id);
  CHECK(found->role == Role::admin);
  CHECK(found->password_hash == "$argon2id$x");
  CHECK_FALSE(db->user_by_email("nobody@example.com"));
}

TEST_CASE("storage: deleting a user or a token ends its sessions, and expired sessions are swept",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "sessions");
  const auto user = db->add_user(UserRecord{0, "a@example.com", Role::editor, "h", kT0});
  REQUIRE(user);
  const auto token = db->add_token(TokenRecord{0, std::string(64, 'b'), Role::viewer, "ci", kT0});
  db->add_session(session_of("old", user->id, std::nullopt, kT0 - 7'200'000)); // expired by kT0
  db->add_session(session_of("u1", user->id, std::nullopt, kT0));
  db->add_session(session_of("t1", std::nullopt, token.id, kT0));
  CHECK_FALSE(db->session("old")); // swept when u1 started
  const auto u1 = db->session("u1");
  REQUIRE(u1);
  CHECK(u1->user_id == user->id);
  CHECK_FALSE(u1->token_id);
  CHECK(u1->role == Role::editor);
  CHECK(u1->csrf == "csrf-u1");
  CHECK(u1->expires_at == kT0 + 3'600'000);
  REQUIRE(db->session("t1"));
  CHECK(db->session("t1")->token_id == token.id);

  CHECK(db->delete_user(user->id));
  CHECK_FALSE(db->delete_user(user->id));
  CHECK_FALSE(db->session("u1"));
  CHECK(db->session("t1"));
  CHECK(db->delete_token(token.id));
  CHECK_FALSE(db->session("t1"));
  db->add_session(session_of("x", std::nullopt, std::nullopt, kT0));
  db->delete_session("x");
  CHECK_FALSE(db->session("x"));
}

TEST_CASE(
    "storage: follow-up items are the detractors with something to follow up, with their state and notes",
    "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "follow");
  const auto ann = db->add_user(UserRecord{0, "ann@example.com", Role::editor, "h", kT0});
  REQUIRE(ann);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    auto r = response("s1", i < 4 ? 2 : 8, "key-" + std::to_string(10000 + i)); // 4 detractors, 2 passives
    if (i != 1) r.comment = "comment " + std::to_string(i);                     // i = 1: nothing to follow
    ids.push_back(db->insert_response(r, kT0 + i, 0).stored.id);
  }
  FollowUpFilter f;
  f.survey_id = "s1";
  auto items = db->follow_ups(f, std::nullopt, 10);
  REQUIRE(items.size() == 3); // detractors 0, 2, 3, newest first
  CHECK(items[0].response.id == ids[3]);
  CHECK(items[0].status == "new");
  f.include_passives = true;
  CHECK(db->follow_ups(f, std::nullopt, 10).size() == 5);
  CHECK(db->follow_ups(f, ids[3], 10).size() == 2); // the cursor: older than item 3
  f.include_passives = false;
  CHECK_FALSE(db->follow_up("s1", ids[1], false));
  CHECK_FALSE(db->follow_up("s1", ids[4], false));
  CHECK(db->follow_up("s1", ids[4], true));
  CHECK_FALSE(db->follow_up("s2", ids[0], false)); // another survey's item is not there

  FollowUpChange ch;
  ch.status = "contacted";
  ch.assignee_id = std::optional<std::int64_t>(ann->id);
  ch.note = FollowUpNote{0, "ann", "called back", 0};
  auto changed = db->change_follow_up("s1", ids[2], false, ch, kT0 + 100);
  REQUIRE(changed);
  CHECK(changed->status == "contacted");
  CHECK(changed->assignee_id == ann->id);
  CHECK(changed->assignee_email == "ann@example.com");
  CHECK(changed->updated_at == kT0 + 100);
  REQUIRE(changed->notes.size() == 1);
  CHECK(changed->notes[0].text == "called back");
  CHECK_FALSE(db->change_follow_up("s1", ids[1], false, ch, kT0));

  FollowUpChange note_only;
  note_only.note = FollowUpNote{0, "bob", "second", 0};
  changed = db->change_follow_up("s1", ids[2], false, note_only, kT0 + 200);
  REQUIRE(changed);
  CHECK(changed->status == "contacted"); // kept
  REQUIRE(changed->notes.size() == 2);
  CHECK(changed->notes[1].author == "bob");

  f.status = "contacted";
  CHECK(db->follow_ups(f, std::nullopt, 10).size() == 1);
  f.status.reset();
  f.assignee_id = ann->id;
  CHECK(db->follow_ups(f, std::nullopt, 10).size() == 1);
  f.assignee_id.reset();
  FollowUpChange resolve;
  resolve.status = "resolved";
  REQUIRE(db->change_follow_up("s1", ids[0], false, resolve, kT0 + 300));
  f.open_only = true;
  CHECK(db->follow_ups(f, std::nullopt, 10).size() == 2);

  // Deleting the assignee unassigns; retention takes the notes with the answer's details.
  CHECK(db->delete_user(ann->id));
  CHECK_FALSE(db->follow_up("s1", ids[2], false)->assignee_id);
  CHECK(db->apply_retention(kT0 + 3, RetentionMode::anonymize) == 2); // 0, 2 had comments
  f.open_only = false;
  f.include_passives = true;
  const auto left = db->follow_ups(f, std::nullopt, 10);
  CHECK(left.size() == 3); // 3, 4, 5: the anonymised ones have nothing to follow up any more
}

TEST_CASE("storage: an administrator's role change reaches the user's sessions, a new password ends them",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "update-user");
  const auto ann = db->add_user(UserRecord{0, "ann@example.com", Role::analyst, "old-hash", kT0});
  const auto bob = db->add_user(UserRecord{0, "bob@example.com", Role::analyst, "bob-hash", kT0});
  REQUIRE(ann);
  REQUIRE(bob);
  db->add_session(session_of("ann-1", ann->id, std::nullopt, kT0));
  db->add_session(session_of("bob-1", bob->id, std::nullopt, kT0));

  CHECK(db->update_user(ann->id, Role::viewer, std::nullopt));
  CHECK(db->user_by_email("ann@example.com")->role == Role::viewer);
  CHECK(db->user_by_email("ann@example.com")->password_hash == "old-hash");
  REQUIRE(db->session("ann-1"));
  CHECK(db->session("ann-1")->role == Role::viewer); // the open session takes the new role
  CHECK(db->session("bob-1")->role == Role::editor); // nobody else's changes

  CHECK(db->update_user(ann->id, std::nullopt, std::string("new-hash")));
  CHECK(db->user_by_email("ann@example.com")->password_hash == "new-hash");
  CHECK_FALSE(db->session("ann-1")); // a new password ends the sessions
  CHECK(db->session("bob-1"));
  CHECK(db->user_by_email("bob@example.com")->password_hash == "bob-hash");

  CHECK_FALSE(db->update_user(ann->id + bob->id + 100, Role::admin, std::nullopt));
}
