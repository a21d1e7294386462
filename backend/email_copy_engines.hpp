// The copying part of EmailStore (email_store.hpp, "copying"), one class per engine, which
// the engine's EmailStore derives from: sqlite_email_copy.cpp and postgres_email_copy.cpp.
// Kept apart so npsd migrate's statements sit beside each other and not among the sender's.
#pragma once

#include "email_store.hpp"

namespace npsd::sqlite {
class Writer;
class ReadPool;

class EmailCopying : public EmailStore {
public:
  EmailCopying(Writer& w, const ReadPool& r) : writer_(w), readers_(r) {}
  [[nodiscard]] std::optional<std::string> stored_link_secret() const override;
  void put_link_secret(const std::string& secret) override;
  bool import_contact(const Contact& c) override;
  bool import_suppression(const SuppressionRow& s) override;
  [[nodiscard]] CampaignRows campaign_rows(std::int64_t campaign) const override;
  std::size_t import_campaign(const Campaign& c, const CampaignRows& rows) override;

protected:
  Writer& writer_;
  const ReadPool& readers_;
};
} // namespace npsd::sqlite

namespace npsd::pg {
class Writer;
class Pool;

class EmailCopying : public EmailStore {
public:
  EmailCopying(Writer& w, Pool& r) : writer_(w), readers_(r) {}
  [[nodiscard]] std::optional<std::string> stored_link_secret() const override;
  void put_link_secret(const std::string& secret) override;
  bool import_contact(const Contact& c) override;
  bool import_suppression(const SuppressionRow& s) override;
  [[nodiscard]] CampaignRows campaign_rows(std::int64_t campaign) const override;
  std::size_t import_campaign(const Campaign& c, const CampaignRows& rows) override;

protected:
  Writer& writer_;
  Pool& readers_;
};
} // namespace npsd::pg
