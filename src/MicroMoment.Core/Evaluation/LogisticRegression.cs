namespace MicroMoment.Evaluation;

/// <summary>
/// L2-regularised logistic regression, the non-sequential baseline. Features are standardised internally
/// (constant features are left centred and get weight 0); the exposed <see cref="Weights"/> and <see cref="Bias"/>
/// are converted back to the original feature units. Fitted by Newton's method with a backtracking line search:
/// deterministic, no random initialisation.
/// </summary>
public sealed class LogisticRegression
{
    private readonly float[] _weights;

    /// <summary>Creates a model from saved parameters in original feature units.</summary>
    /// <exception cref="ArgumentException">A parameter is not finite or the weights are empty.</exception>
    public LogisticRegression(float[] weights, float bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length == 0)
        {
            throw new ArgumentException("Expected at least one weight.", nameof(weights));
        }

        for (int j = 0; j < weights.Length; j++)
        {
            if (!float.IsFinite(weights[j]))
            {
                throw new ArgumentException($"weights[{j}] is {weights[j]}; expected finite weights.", nameof(weights));
            }
        }

        if (!float.IsFinite(bias))
        {
            throw new ArgumentException($"The bias is {bias}; expected a finite number.", nameof(bias));
        }

        _weights = (float[])weights.Clone();
        Bias = bias;
    }

    /// <summary>Feature weights in original units (a copy).</summary>
    public float[] Weights => (float[])_weights.Clone();

    /// <summary>Intercept in original units.</summary>
    public float Bias { get; }

    /// <summary>Number of features.</summary>
    public int FeatureCount => _weights.Length;

    /// <summary>Newton iterations used by <see cref="Fit"/>.</summary>
    public int Iterations { get; private init; }

    /// <summary>Whether the gradient reached the tolerance within the iteration cap.</summary>
    public bool Converged { get; private init; }

    /// <summary>The linear score Bias + Σ wⱼ·xⱼ for one row. Allocates nothing.</summary>
    /// <exception cref="ArgumentException">The row length differs from <see cref="FeatureCount"/>.</exception>
    public float PredictLogit(ReadOnlySpan<float> row)
    {
        if (row.Length != _weights.Length)
        {
            throw new ArgumentException($"The row has {row.Length} features; the model expects {_weights.Length}.", nameof(row));
        }

        double z = Bias;
        for (int j = 0; j < row.Length; j++)
        {
            z += (double)_weights[j] * row[j];
        }

        return (float)z;
    }

    /// <summary>The probability of the positive class for one row. Allocates nothing.</summary>
    public float PredictProbability(ReadOnlySpan<float> row) => (float)Sigmoid(PredictLogit(row));

    /// <summary>
    /// Fits the model to <paramref name="x"/>, a row-major n×<paramref name="d"/> matrix with one row per label.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree, a value is not finite, labels are not 0/1, or a class is missing.</exception>
    public static LogisticRegression Fit(ReadOnlySpan<float> x, int d, ReadOnlySpan<byte> labels, LogisticRegressionOptions? options = null)
    {
        options ??= new LogisticRegressionOptions();
        if (d < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "Expected at least one feature column.");
        }

        int n = labels.Length;
        if ((long)n * d != x.Length)
        {
            throw new ArgumentException(
                $"x has {x.Length} values but {n} labels × {d} features = {(long)n * d}; expected a row-major n×d matrix.", nameof(x));
        }

        int positives = InputChecks.LabelsAndLength(n, labels, nameof(labels));
        InputChecks.FiniteScores(x, nameof(x));
        if (positives == 0 || positives == n)
        {
            throw new ArgumentException($"Logistic regression needs both classes; got {positives} positives of {n} rows.", nameof(labels));
        }

        if (!(options.L2 >= 0) || !double.IsFinite(options.L2) || options.MaxIterations < 1 || !(options.Tolerance > 0))
        {
            throw new ArgumentException(
                $"Invalid options (L2 = {options.L2}, MaxIterations = {options.MaxIterations}, Tolerance = {options.Tolerance}); " +
                "expected L2 ≥ 0, MaxIterations ≥ 1 and Tolerance > 0.", nameof(options));
        }

        // Standardisation statistics.
        var mean = new double[d];
        var scale = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += x[(i * d) + j];
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double c = x[(i * d) + j] - mean[j];
                scale[j] += c * c;
            }
        }

        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(scale[j] / n);
            scale[j] = sd > 1e-12 ? 1 / sd : 1;
        }

        double positiveWeight = options.BalanceClasses ? n / (2.0 * positives) : 1;
        double negativeWeight = options.BalanceClasses ? n / (2.0 * (n - positives)) : 1;
        double totalWeight = (positiveWeight * positives) + (negativeWeight * (n - positives));

        int p = d + 1; // parameters: d weights then the bias
        var beta = new double[p];
        double prior = (positiveWeight * positives) / totalWeight;
        beta[d] = Math.Log(prior / (1 - prior));
        var z = new double[p];
        var gradient = new double[p];
        var hessian = new double[p * p];
        var direction = new double[p];
        var trial = new double[p];
        double objective = Objective(x, d, labels, mean, scale, beta, positiveWeight, negativeWeight, totalWeight, options.L2, z);
        int iteration = 0;
        bool converged = false;
        for (; iteration < options.MaxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (int i = 0; i < n; i++)
            {
                double eta = Row(x, d, i, mean, scale, beta, z);
                double prob = Sigmoid(eta);
                double w = labels[i] == 1 ? positiveWeight : negativeWeight;
                double residual = w * (prob - labels[i]);
                double curvature = w * prob * (1 - prob);
                for (int a = 0; a < p; a++)
                {
                    gradient[a] += residual * z[a];
                    double ca = curvature * z[a];
                    for (int b = a; b < p; b++)
                    {
                        hessian[(a * p) + b] += ca * z[b];
                    }
                }
            }

            double largest = 0;
            for (int a = 0; a < p; a++)
            {
                gradient[a] /= totalWeight;
                if (a < d)
                {
                    gradient[a] += options.L2 * beta[a];
                }

                largest = Math.Max(largest, Math.Abs(gradient[a]));
                for (int b = a; b < p; b++)
                {
                    double h = hessian[(a * p) + b] / totalWeight;
                    if (a == b)
                    {
                        h += a < d ? options.L2 : 0;
                        h += 1e-12;
                    }

                    hessian[(a * p) + b] = h;
                    hessian[(b * p) + a] = h;
                }
            }

            if (largest < options.Tolerance)
            {
                converged = true;
                break;
            }

            for (int a = 0; a < p; a++)
            {
                direction[a] = -gradient[a];
            }

            SolveSymmetric(hessian, direction, p);
            double slope = 0;
            for (int a = 0; a < p; a++)
            {
                slope += gradient[a] * direction[a];
            }

            double step = 1;
            bool improved = false;
            while (step >= 1e-12)
            {
                for (int a = 0; a < p; a++)
                {
                    trial[a] = beta[a] + (step * direction[a]);
                }

                double candidate = Objective(x, d, labels, mean, scale, trial, positiveWeight, negativeWeight, totalWeight, options.L2, z);
                if (candidate <= objective + (1e-4 * step * slope))
                {
                    Array.Copy(trial, beta, p);
                    objective = candidate;
                    improved = true;
                    break;
                }

                step /= 2;
            }

            if (!improved)
            {
                // No decrease possible at double precision: the optimum is reached as closely as it can be.
                converged = largest < Math.Sqrt(options.Tolerance);
                break;
            }
        }

        var weights = new float[d];
        double bias = beta[d];
        for (int j = 0; j < d; j++)
        {
            weights[j] = (float)(beta[j] * scale[j]);
            bias -= beta[j] * scale[j] * mean[j];
        }

        return new LogisticRegression(weights, (float)bias) { Iterations = iteration, Converged = converged };
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>Writes the standardised row (plus a trailing 1 for the bias) into <paramref name="z"/> and returns its linear score.</summary>
    private static double Row(ReadOnlySpan<float> x, int d, int i, double[] mean, double[] scale, double[] beta, double[] z)
    {
        double eta = beta[d];
        int offset = i * d;
        for (int j = 0; j < d; j++)
        {
            z[j] = (x[offset + j] - mean[j]) * scale[j];
            eta += beta[j] * z[j];
        }

        z[d] = 1;
        return eta;
    }

    private static double Objective(
        ReadOnlySpan<float> x, int d, ReadOnlySpan<byte> labels, double[] mean, double[] scale, double[] beta,
        double positiveWeight, double negativeWeight, double totalWeight, double l2, double[] z)
    {
        double loss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double eta = Row(x, d, i, mean, scale, beta, z);
            // −[y·ln σ(η) + (1 − y)·ln(1 − σ(η))] = ln(1 + e^η) − y·η, computed without overflow.
            double softplus = eta > 0 ? eta + Math.Log(1 + Math.Exp(-eta)) : Math.Log(1 + Math.Exp(eta));
            loss += (labels[i] == 1 ? positiveWeight : negativeWeight) * (softplus - (labels[i] * eta));
        }

        double penalty = 0;
        for (int j = 0; j < d; j++)
        {
            penalty += beta[j] * beta[j];
        }

        return (loss / totalWeight) + (0.5 * l2 * penalty);
    }

    /// <summary>Solves H·v = rhs in place by Cholesky (H symmetric positive definite), adding jitter if needed.</summary>
    private static void SolveSymmetric(double[] h, double[] rhs, int p)
    {
        var l = new double[p * p];
        double jitter = 0;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            if (TryCholesky(h, l, p, jitter))
            {
                for (int i = 0; i < p; i++)
                {
                    double s = rhs[i];
                    for (int k = 0; k < i; k++)
                    {
                        s -= l[(i * p) + k] * rhs[k];
                    }

                    rhs[i] = s / l[(i * p) + i];
                }

                for (int i = p - 1; i >= 0; i--)
                {
                    double s = rhs[i];
                    for (int k = i + 1; k < p; k++)
                    {
                        s -= l[(k * p) + i] * rhs[k];
                    }

                    rhs[i] = s / l[(i * p) + i];
                }

                return;
            }

            jitter = jitter == 0 ? 1e-10 : jitter * 10;
        }

        throw new InvalidOperationException("The Newton system stayed singular after regularisation; the features are degenerate.");
    }

    private static bool TryCholesky(double[] h, double[] l, int p, double jitter)
    {
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = h[(i * p) + j] + (i == j ? jitter : 0);
                for (int k = 0; k < j; k++)
                {
                    s -= l[(i * p) + k] * l[(j * p) + k];
                }

                if (i == j)
                {
                    if (!(s > 0))
                    {
                        return false;
                    }

                    l[(i * p) + i] = Math.Sqrt(s);
                }
                else
                {
                    l[(i * p) + j] = s / l[(j * p) + j];
                }
            }
        }

        return true;
    }
}
