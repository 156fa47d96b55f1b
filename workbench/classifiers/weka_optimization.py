"""WEKA's quasi-Newton optimiser (``weka.core.Optimization``) without bounds, step for step.

WEKA's Logistic stops where this BFGS says it has converged, which on data that a class
separates (iris's setosa, a rare nominal value) is well short of the true minimum: the
penalty 1e-8 lets those coefficients grow almost without end. The numbers a WEKA user
compares are therefore WEKA's stopping point, not the optimum, so the optimiser is
repeated: the same line search (sufficient decrease and curvature conditions, quadratic
then cubic backtracking, doubling on the first try), the same BFGS update of an
L D L' factor, the same convergence tests and the same limit of 200 iterations per call.
The bound handling of WEKA's class is left out; Logistic sets no bounds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.linalg import solve_triangular

from workbench.core.progress import CancelToken, check

_EPSILON = float(np.finfo(np.float64).eps)  # WEKA's m_Epsilon: 2^-52
_ZERO = float(np.sqrt(_EPSILON))
_ALF, _BETA, _TOLX, _STPMX = 1.0e-4, 0.9, 1.0e-6, 100.0
ITERATIONS_PER_CALL = 200  # WEKA's m_MAXITS


class _Search:
    """One ``findArgmin`` call's state: the function value and the slope of the step."""

    def __init__(self, objective: Callable[[np.ndarray], float],
                 gradient: Callable[[np.ndarray], np.ndarray]) -> None:
        self.objective, self.gradient = objective, gradient
        self.f = 0.0
        self.slope = 0.0

    def line_search(self, xold: np.ndarray, grad: np.ndarray, direct: np.ndarray,
                    stpmax: float) -> np.ndarray:
        """WEKA's ``lnsrch``: a step along ``direct`` with enough decrease and a
        slope that has risen enough (``direct`` may be shortened in place)."""
        fold = self.f
        size = float(np.sqrt(direct @ direct))
        maxalam = 1.0
        if size > stpmax:
            direct *= stpmax / size
        else:   # Java's double division: a zero direction gives infinity
            maxalam = stpmax / size if size > 0 else np.inf
        self.slope = float(grad @ direct)
        if abs(self.slope) <= _ZERO:
            return xold.copy()
        if self.slope > _ZERO:
            raise ArithmeticError("the search direction goes uphill")
        test = float(np.max(np.abs(direct) / np.maximum(np.abs(xold), 1.0)))
        if not test > _ZERO:
            return xold.copy()
        alamin = _TOLX / test
        alam = 1.0
        init_f = fold
        hi = lo = alam
        fhi = flo = self.f
        new_slope = 0.0
        alam2 = 0.0
        k = 0
        while True:
            x = xold + alam * direct
            self.f = self.objective(x)
            while np.isinf(self.f):
                alam *= 0.5
                if alam <= _EPSILON:
                    return x
                x = xold + alam * direct
                self.f = self.objective(x)
                init_f = np.inf
            if self.f <= fold + _ALF * alam * self.slope:
                new_slope = float(self.gradient(x) @ direct)
                if new_slope >= _BETA * self.slope:
                    return x
                if k == 0:
                    upper = maxalam
                    while not (alam >= upper or self.f > fold + _ALF * alam * self.slope):
                        lo, flo = alam, self.f
                        alam = min(alam * 2.0, upper)
                        x = xold + alam * direct
                        self.f = self.objective(x)
                        if self.f > fold + _ALF * alam * self.slope:
                            continue
                        new_slope = float(self.gradient(x) @ direct)
                        if new_slope >= _BETA * self.slope:
                            return x
                    hi, fhi = alam, self.f
                    break
                hi, lo, flo = alam2, alam, self.f
                break
            if alam < alamin:
                if init_f < fold:
                    alam = 1.0
                    x = xold + alam * direct
                else:
                    x = xold.copy()
                    self.f = fold
                return x
            if k == 0:
                if not np.isinf(init_f):
                    init_f = self.f
                tmplam = -0.5 * alam * self.slope / ((self.f - fold) / alam - self.slope)
            else:
                rhs1 = self.f - fold - alam * self.slope
                rhs2 = fhi - fold - alam2 * self.slope
                a = (rhs1 / (alam * alam) - rhs2 / (alam2 * alam2)) / (alam - alam2)
                b = (-alam2 * rhs1 / (alam * alam) + alam * rhs2 / (alam2 * alam2)) / (
                    alam - alam2)
                if a == 0.0:
                    tmplam = -self.slope / (2.0 * b)
                else:
                    disc = max(b * b - 3.0 * a * self.slope, 0.0)
                    numerator = min(-b + np.sqrt(disc), np.finfo(np.float64).max)
                    tmplam = numerator / (3.0 * a)
                tmplam = min(tmplam, 0.5 * alam)
            alam2, fhi = alam, self.f
            alam = max(tmplam, 0.1 * alam)
            k += 1
        # between lo and hi: the last search for the curvature condition
        ldiff = hi - lo
        while new_slope < _BETA * self.slope and ldiff >= alamin:
            lincr = -0.5 * new_slope * ldiff * ldiff / (fhi - flo - new_slope * ldiff)
            lincr = max(lincr, 0.2 * ldiff)
            alam = lo + lincr
            if alam >= hi:
                alam, lincr = hi, ldiff
            x = xold + alam * direct
            self.f = self.objective(x)
            if self.f > fold + _ALF * alam * self.slope:
                ldiff, fhi = lincr, self.f
            else:
                new_slope = float(self.gradient(x) @ direct)
                if new_slope < _BETA * self.slope:
                    lo, flo = alam, self.f
                    ldiff -= lincr
        if new_slope < _BETA * self.slope:
            x = xold + lo * direct
            self.f = flo
        return x


def _update(L: np.ndarray, D: np.ndarray, v: np.ndarray, coeff: float) -> None:
    """WEKA's rank-one update of the factor L D L' by ``coeff * v v'``, in place."""
    n = v.size
    vp = v.copy()
    if coeff > 0.0:
        t = coeff
        for j in range(n):
            p = vp[j]
            d = D[j]
            dbar = d + t * p * p
            D[j] = dbar
            b = p * t / dbar
            t *= d / dbar
            vp[j + 1:] -= p * L[j + 1:, j]
            L[j + 1:, j] += b * vp[j + 1:]
        return
    P = solve_triangular(L, v, lower=True, unit_diagonal=False)
    t = float(np.sum(P * P / D))
    root = 1.0 + coeff * t
    root = 0.0 if root < 0.0 else float(np.sqrt(root))
    alpha, sigma = coeff, coeff / (1.0 + root)
    for j in range(n):
        d = D[j]
        p = P[j] * P[j] / d
        theta = 1.0 + sigma * p
        t = max(t - p, 0.0)
        plus = sigma * sigma * p * t
        if j < n - 1 and plus <= _ZERO:
            plus = _ZERO
        rho = theta * theta + plus
        D[j] = rho * d
        b = alpha * P[j] / (rho * d)
        alpha /= rho
        rho = float(np.sqrt(rho))
        sigma *= (1.0 + rho) / (rho * (theta + rho))
        vp[j + 1:] -= P[j] * L[j + 1:, j]
        L[j + 1:, j] += b * vp[j + 1:]


def find_argmin(objective: Callable[[np.ndarray], float],
                gradient: Callable[[np.ndarray], np.ndarray], start: np.ndarray,
                iterations: int = ITERATIONS_PER_CALL, cancel: CancelToken | None = None
                ) -> tuple[np.ndarray, bool, float]:
    """WEKA's ``findArgmin``: the point reached, whether it converged within
    ``iterations`` (WEKA returns null when not) and the objective there."""
    search = _Search(objective, gradient)
    n = start.size
    x = start.astype(np.float64).copy()
    search.f = objective(x)
    grad = gradient(x)
    L = np.eye(n)
    D = np.ones(n)
    direct = -grad
    stpmax = _STPMX * max(float(np.sqrt(grad @ grad)), n)
    for _ in range(iterations):
        check(cancel)
        old_x, old_grad = x, grad
        x = search.line_search(x, grad, direct, stpmax)
        finish = False
        delta_x = x - old_x
        if float(np.max(np.abs(delta_x) / np.maximum(np.abs(x), 1.0))) < _ZERO:
            finish = True
        grad = gradient(x)
        delta_grad = grad - old_grad
        denom = float(delta_x @ delta_grad)
        dx_sq = float(delta_x @ delta_x)
        dg_sq = float(delta_grad @ delta_grad)
        test = float(np.max(np.abs(grad) * np.maximum(np.abs(direct), 1.0)
                            / max(abs(search.f), 1.0)))
        if test < _ZERO:
            finish = True
        if abs(denom) < _ZERO:
            finish = True
        if finish:
            return x, True, objective(x)
        if denom >= max(_ZERO * np.sqrt(dx_sq) * np.sqrt(dg_sq), _ZERO):
            _update(L, D, delta_grad, 1.0 / denom)
            _update(L, D, old_grad, 1.0 / search.slope)
        LD = L * D[None, :]
        step = solve_triangular(LD, -grad, lower=True)
        direct = solve_triangular(L, step, lower=True, trans="T")
        if np.isnan(direct).any():
            raise ArithmeticError("the search direction is not a number")
    return x, False, search.f
