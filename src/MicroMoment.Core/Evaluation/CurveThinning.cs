namespace MicroMoment.Evaluation;

/// <summary>
/// Reduces a polyline to at most a given number of points while keeping its shape: points lying on a straight
/// segment are dropped first (exact), then the remaining vertices are kept in order of how far they stick out
/// of the simplified line (largest deviation first), so corners survive and only near-straight detail is lost.
/// </summary>
internal static class CurveThinning
{
    /// <summary>Returns <paramref name="points"/> thinned to at most <paramref name="maxPoints"/> points (first and last always kept).</summary>
    public static CurvePoint[] Thin(CurvePoint[] points, int maxPoints)
    {
        if (maxPoints < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "A curve needs at least 2 points; expected maxPoints ≥ 2.");
        }

        var vertices = DropCollinear(points);
        if (vertices.Length <= maxPoints)
        {
            return vertices;
        }

        var keep = new bool[vertices.Length];
        keep[0] = true;
        keep[^1] = true;
        int kept = 2;
        var queue = new PriorityQueue<(int Start, int End, int Far), double>();
        Enqueue(vertices, 0, vertices.Length - 1, queue);
        while (kept < maxPoints && queue.TryDequeue(out var segment, out double negativeDistance))
        {
            if (negativeDistance >= 0)
            {
                break;
            }

            keep[segment.Far] = true;
            kept++;
            Enqueue(vertices, segment.Start, segment.Far, queue);
            Enqueue(vertices, segment.Far, segment.End, queue);
        }

        var result = new CurvePoint[kept];
        int k = 0;
        for (int i = 0; i < vertices.Length; i++)
        {
            if (keep[i])
            {
                result[k++] = vertices[i];
            }
        }

        return result;
    }

    private static void Enqueue(CurvePoint[] v, int start, int end, PriorityQueue<(int, int, int), double> queue)
    {
        if (end - start < 2)
        {
            return;
        }

        double best = -1;
        int far = -1;
        for (int i = start + 1; i < end; i++)
        {
            double d = Distance(v[start], v[end], v[i]);
            if (d > best)
            {
                best = d;
                far = i;
            }
        }

        queue.Enqueue((start, end, far), -best);
    }

    private static double Distance(CurvePoint a, CurvePoint b, CurvePoint p)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        double length = Math.Sqrt((dx * dx) + (dy * dy));
        if (length == 0)
        {
            double ex = p.X - a.X, ey = p.Y - a.Y;
            return Math.Sqrt((ex * ex) + (ey * ey));
        }

        return Math.Abs((dx * (p.Y - a.Y)) - (dy * (p.X - a.X))) / length;
    }

    private static CurvePoint[] DropCollinear(CurvePoint[] points)
    {
        if (points.Length <= 2)
        {
            return points;
        }

        var result = new List<CurvePoint>(points.Length) { points[0] };
        for (int i = 1; i < points.Length - 1; i++)
        {
            var a = result[^1];
            var p = points[i];
            var b = points[i + 1];
            double cross = ((p.X - a.X) * (b.Y - a.Y)) - ((p.Y - a.Y) * (b.X - a.X));
            bool between = ((p.X - a.X) * (b.X - p.X)) >= 0 && ((p.Y - a.Y) * (b.Y - p.Y)) >= 0;
            if (Math.Abs(cross) <= 1e-15 && between)
            {
                continue;
            }

            result.Add(p);
        }

        result.Add(points[^1]);
        return result.ToArray();
    }
}
