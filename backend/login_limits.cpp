// Sliding-window counters of failed sign-ins, per client and per (credential, client).
#include "login_limits.hpp"

#include <algorithm>

namespace npsd {

void LoginLimiter::prune(Window& w, Millis now) const {
  while (!w.empty() && w.front() <= now - limits_.window)
    w.pop_front();
}

Millis LoginLimiter::wait(const std::string& client, const std::string& credential, Millis now) {
  std::lock_guard lock(mu_);
  Millis wait = 0;
  auto check = [&](std::unordered_map<std::string, Window>& map, const std::string& key, std::size_t max) {
    auto it = map.find(key);
    if (it == map.end()) return;
    prune(it->second, now);
    if (it->second.size() >= max)
      wait = std::max(wait, it->second[it->second.size() - max] + limits_.window - now);
  };
  check(clients_, client, limits_.per_client);
  check(pairs_, credential + '\n' + client, limits_.per_credential);
  return wait;
}

void LoginLimiter::failed(const std::string& client, const std::string& credential, Millis now) {
  std::lock_guard lock(mu_);
  bound_memory(now);
  for (auto* w : {&clients_[client], &pairs_[credential + '\n' + client]}) {
    prune(*w, now);
    w->push_back(now);
  }
}

void LoginLimiter::bound_memory(Millis now) {
  for (auto* map : {&clients_, &pairs_}) {
    if (map->size() < limits_.max_keys) continue;
    for (auto it = map->begin(); it != map->end();) {
      prune(it->second, now);
      it = it->second.empty() ? map->erase(it) : std::next(it);
    }
    if (map->size() >= limits_.max_keys) map->clear(); // a flood from that many addresses at once
  }
}

} // namespace npsd
