// The numerics the insight models share (drivers.hpp, churn.hpp): a seeded random number
// generator and a few dense linear-algebra routines, written with + − × ÷ and sqrt only,
// which IEEE 754 rounds exactly, so the native and the Wasm builds compute the same bits.
// No libm transcendental is used: exp comes from a series (exp_nonpositive).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace nps::stats {

// xoshiro256** (Blackman and Vigna, 2018), its state filled by four calls of splitmix64
// from the seed. next() is the reference algorithm; bounded(n) is uniform on [0, n) by
// rejection (draws below (2^64 − n) mod n are drawn again, then r mod n); uniform() is
// (next() >> 11) · 2^−53, on [0, 1).
class Rng {
public:
  explicit Rng(std::uint64_t seed) noexcept;
  std::uint64_t next() noexcept;
  std::uint64_t bounded(std::uint64_t n) noexcept;
  double uniform() noexcept;

private:
  std::uint64_t s_[4];
};

std::uint64_t splitmix64(std::uint64_t& state) noexcept;

// exp(x) for x <= 0: halving to |x| <= 1/8, a 30-term Taylor series, repeated squaring.
double exp_nonpositive(double x) noexcept;
// 1 / (1 + e^−x), from exp_nonpositive on either side of 0.
double sigmoid(double x) noexcept;

// Rounded half away from zero to `decimals` places; −0 printed as 0.
double round_to(double v, int decimals) noexcept;

// A dense row-major square matrix of order n.
struct Matrix {
  std::size_t n = 0;
  std::vector<double> a;
  explicit Matrix(std::size_t order = 0) : n(order), a(order * order, 0.0) {}
  double& operator()(std::size_t i, std::size_t j) { return a[i * n + j]; }
  double operator()(std::size_t i, std::size_t j) const { return a[i * n + j]; }
};

// Solves A x = b for a symmetric positive definite A (Cholesky); nullopt when A is not
// positive definite (a pivot <= tiny · its diagonal).
std::optional<std::vector<double>> solve_spd(const Matrix& A, const std::vector<double>& b);
// The inverse of a symmetric positive definite matrix, or nullopt.
std::optional<Matrix> inverse_spd(const Matrix& A);

// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: values[k] and the
// k-th column of vectors. Values in the order the rotations leave them (not sorted).
struct Eigen {
  std::vector<double> values;
  Matrix vectors;
};
Eigen jacobi_eigen(const Matrix& A);

// The q-quantile (0..1) of values by linear interpolation between order statistics
// (Hyndman–Fan type 7, numpy's default). Sorts its argument.
double quantile(std::vector<double>& values, double q);

} // namespace nps::stats
