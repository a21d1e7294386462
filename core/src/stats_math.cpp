#include "nps/stats_math.hpp"

#include <algorithm>
#include <cmath>

namespace nps::stats {

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(std::uint64_t seed) noexcept {
  for (auto& s : s_)
    s = splitmix64(seed);
}

namespace {
std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
} // namespace

std::uint64_t Rng::next() noexcept {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Rng::bounded(std::uint64_t n) noexcept {
  if (n <= 1) return 0;
  const std::uint64_t threshold = (0 - n) % n; // (2^64 − n) mod n
  for (;;) {
    const std::uint64_t r = next();
    if (r >= threshold) return r % n;
  }
}

double Rng::uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double exp_nonpositive(double x) noexcept {
  if (x < -745) return 0;
  int halvings = 0;
  while (x < -0.125) {
    x /= 2;
    ++halvings;
  }
  double term = 1, sum = 1;
  for (int k = 1; k < 30; ++k) {
    term *= x / k;
    sum += term;
  }
  for (int i = 0; i < halvings; ++i)
    sum *= sum;
  return sum;
}

double sigmoid(double x) noexcept {
  if (x >= 0) return 1 / (1 + exp_nonpositive(-x));
  const double e = exp_nonpositive(x);
  return e / (1 + e);
}

double round_to(double v, int decimals) noexcept {
  double scale = 1;
  for (int i = 0; i < decimals; ++i)
    scale *= 10;
  const double r = std::round(v * scale) / scale;
  return r == 0 ? 0.0 : r;
}

namespace {
// Lower-triangular L with A = L Lᵀ, or nullopt.
std::optional<Matrix> cholesky(const Matrix& A) {
  const std::size_t n = A.n;
  Matrix L(n);
  for (std::size_t j = 0; j < n; ++j) {
    double d = A(j, j);
    for (std::size_t k = 0; k < j; ++k)
      d -= L(j, k) * L(j, k);
    if (!(d > 1e-13 * std::max(1.0, std::fabs(A(j, j))))) return std::nullopt;
    const double root = std::sqrt(d);
    L(j, j) = root;
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = A(i, j);
      for (std::size_t k = 0; k < j; ++k)
        s -= L(i, k) * L(j, k);
      L(i, j) = s / root;
    }
  }
  return L;
}

std::vector<double> cholesky_solve(const Matrix& L, std::vector<double> x) {
  const std::size_t n = L.n;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < i; ++k)
      x[i] -= L(i, k) * x[k];
    x[i] /= L(i, i);
  }
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t k = i + 1; k < n; ++k)
      x[i] -= L(k, i) * x[k];
    x[i] /= L(i, i);
  }
  return x;
}
} // namespace

std::optional<std::vector<double>> solve_spd(const Matrix& A, const std::vector<double>& b) {
  auto L = cholesky(A);
  if (!L) return std::nullopt;
  return cholesky_solve(*L, b);
}

std::optional<Matrix> inverse_spd(const Matrix& A) {
  auto L = cholesky(A);
  if (!L) return std::nullopt;
  Matrix inv(A.n);
  for (std::size_t j = 0; j < A.n; ++j) {
    std::vector<double> e(A.n, 0.0);
    e[j] = 1;
    const auto col = cholesky_solve(*L, e);
    for (std::size_t i = 0; i < A.n; ++i)
      inv(i, j) = col[i];
  }
  return inv;
}

Eigen jacobi_eigen(const Matrix& A) {
  const std::size_t n = A.n;
  Matrix a = A;
  Matrix v(n);
  for (std::size_t i = 0; i < n; ++i)
    v(i, i) = 1;
  double total = 0;
  for (double x : a.a)
    total += x * x;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j)
        off += a(i, j) * a(i, j);
    if (off <= 1e-30 * total) break;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        if (a(p, q) == 0) continue;
        const double theta = (a(q, q) - a(p, p)) / (2 * a(p, q));
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) { // columns p and q: A J
          const double akp = a(k, p), akq = a(k, q);
          a(k, p) = c * akp - s * akq;
          a(k, q) = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) { // rows p and q: Jᵀ (A J)
          const double apk = a(p, k), aqk = a(q, k);
          a(p, k) = c * apk - s * aqk;
          a(q, k) = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double vkp = v(k, p), vkq = v(k, q);
          v(k, p) = c * vkp - s * vkq;
          v(k, q) = s * vkp + c * vkq;
        }
      }
  }
  Eigen e;
  e.vectors = v;
  for (std::size_t i = 0; i < n; ++i)
    e.values.push_back(a(i, i));
  return e;
}

double quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double h = (static_cast<double>(values.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

} // namespace nps::stats
