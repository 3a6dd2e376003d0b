//! Multinomial logistic regression trained by stochastic gradient descent in a fixed,
//! seeded order: the same data and seed always give the same weights, bit for bit.

use serde::{Deserialize, Serialize};

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SgdConfig {
    pub epochs: usize,
    pub learning_rate: f32,
    /// L2 penalty per example step.
    pub l2: f32,
    pub seed: u64,
    /// Multi-class hinge loss (a linear SVM, Crammer–Singer) instead of the logistic loss.
    #[serde(default)]
    pub hinge: bool,
    /// The learning rate of epoch e is learning_rate / (1 + decay * e).
    #[serde(default)]
    pub decay: f32,
}

impl Default for SgdConfig {
    fn default() -> Self {
        Self { epochs: 40, learning_rate: 1.0, l2: 1e-5, seed: 7, hinge: false, decay: 0.05 }
    }
}

/// A small deterministic pseudo-random generator (xorshift64*), enough for shuffling.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Weights of a linear model over `dim` features and `classes` outputs, stored feature-major
/// (all class weights of a feature side by side) so a sparse dot product reads contiguously.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Linear {
    pub classes: usize,
    pub dim: usize,
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

/// One training example: sparse features, class index, example weight.
pub struct Sample<'a> {
    pub x: &'a [(u32, f32)],
    pub y: usize,
    pub weight: f32,
}

impl Linear {
    pub fn scores(&self, x: &[(u32, f32)]) -> Vec<f32> {
        let mut s = self.bias.clone();
        for &(i, v) in x {
            let row = &self.weights[i as usize * self.classes..(i as usize + 1) * self.classes];
            for (acc, w) in s.iter_mut().zip(row) {
                *acc += w * v;
            }
        }
        s
    }

    /// The mean of models of the same shape (the first model's shape wins).
    /// Adds `other`'s weights and biases to these (the same shape).
    pub fn add(&mut self, other: &Linear) {
        for (a, b) in self.weights.iter_mut().zip(&other.weights) {
            *a += b;
        }
        for (a, b) in self.bias.iter_mut().zip(&other.bias) {
            *a += b;
        }
    }

    /// Divides every weight and bias by `n` (a sum of `n` models becomes their average).
    pub fn divide(&mut self, n: usize) {
        let n = n as f32;
        for w in self.weights.iter_mut().chain(self.bias.iter_mut()) {
            *w /= n;
        }
    }

    pub fn weight(&self, feature: u32, class: usize) -> f32 {
        self.weights[feature as usize * self.classes + class]
    }

    pub fn train(samples: &[Sample<'_>], classes: usize, dim: usize, config: &SgdConfig) -> Self {
        let mut model = Self { classes, dim, weights: vec![0.0; classes * dim], bias: vec![0.0; classes] };
        if samples.is_empty() || classes == 0 {
            return model;
        }
        let mut order: Vec<usize> = (0..samples.len()).collect();
        let mut rng = Rng::new(config.seed);
        // The weights are kept as `scale * weights` so the L2 shrink of every step is O(1).
        let mut scale = 1.0f32;
        for epoch in 0..config.epochs {
            rng.shuffle(&mut order);
            let lr = config.learning_rate / (1.0 + epoch as f32 * config.decay);
            for &n in &order {
                let sample = &samples[n];
                let mut p = model.scores(sample.x);
                for (s, b) in p.iter_mut().zip(&model.bias) {
                    *s = (*s - b) * scale + b;
                }
                if config.hinge {
                    hinge_gradient(&mut p, sample.y);
                } else {
                    softmax(&mut p);
                }
                scale *= 1.0 - lr * config.l2;
                if scale < 1e-3 {
                    for w in &mut model.weights {
                        *w *= scale;
                    }
                    scale = 1.0;
                }
                // Gradient per class, then one contiguous pass over each feature's row (each
                // weight still gets exactly one update, so the result is the same in any order).
                let mut any = false;
                for (k, pk) in p.iter_mut().enumerate() {
                    let target = if k == sample.y { 1.0 } else { 0.0 };
                    *pk = (*pk - target) * sample.weight;
                    any |= *pk != 0.0;
                    model.bias[k] -= lr * *pk * 0.1;
                }
                if !any {
                    continue;
                }
                for &(i, v) in sample.x {
                    let row = &mut model.weights[i as usize * classes..(i as usize + 1) * classes];
                    for (w, g) in row.iter_mut().zip(&p) {
                        if *g != 0.0 {
                            *w -= lr * g * v / scale;
                        }
                    }
                }
            }
        }
        for w in &mut model.weights {
            *w *= scale;
        }
        model
    }
}

/// Turns scores into the gradient of the Crammer–Singer hinge loss expressed as "probabilities"
/// (1 on the most offending wrong class, 0 elsewhere), so the update below applies unchanged:
/// the true class gets (0 - 1) and the offender (1 - 0) when the margin is under 1.
fn hinge_gradient(s: &mut [f32], y: usize) {
    let mut worst = None;
    let mut worst_score = f32::NEG_INFINITY;
    for (k, v) in s.iter().enumerate() {
        if k != y && *v > worst_score {
            worst = Some(k);
            worst_score = *v;
        }
    }
    let violated = worst.is_some() && s[y] - worst_score < 1.0;
    for (k, v) in s.iter_mut().enumerate() {
        *v = if violated && Some(k) == worst {
            1.0
        } else if violated || k != y {
            0.0
        } else {
            1.0
        };
    }
}

/// In-place softmax, stable for large scores.
pub fn softmax(s: &mut [f32]) {
    let max = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in s.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    if sum > 0.0 {
        for v in s.iter_mut() {
            *v /= sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_deterministically() {
        let a = [(0u32, 1.0f32)];
        let b = [(1u32, 1.0f32)];
        let samples = vec![Sample { x: &a, y: 0, weight: 1.0 }, Sample { x: &b, y: 1, weight: 1.0 }];
        let m1 = Linear::train(&samples, 2, 2, &SgdConfig::default());
        let m2 = Linear::train(&samples, 2, 2, &SgdConfig::default());
        assert_eq!(m1.weights, m2.weights);
        let mut p = m1.scores(&a);
        softmax(&mut p);
        assert!(p[0] > 0.8, "{p:?}");
    }
}
