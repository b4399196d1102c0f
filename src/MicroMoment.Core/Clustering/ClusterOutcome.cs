namespace MicroMoment.Clustering;

/// <summary>Outcome statistics of one cluster over the training sessions assigned to it.</summary>
/// <param name="Size">Training sessions in the cluster.</param>
/// <param name="PurchaseRate">Share of those sessions that contain a purchase (0..1).</param>
/// <param name="MeanLength">Mean number of events per session.</param>
public readonly record struct ClusterOutcome(int Size, double PurchaseRate, double MeanLength);
