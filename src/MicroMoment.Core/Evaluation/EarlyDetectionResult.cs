namespace MicroMoment.Evaluation;

/// <summary>How early a threshold flags purchasing sessions, and how often it flags sessions that never purchase.</summary>
/// <param name="Threshold">The probability threshold evaluated (flag when probability ≥ threshold).</param>
/// <param name="PurchasingSessions">Sessions with a purchase.</param>
/// <param name="NonPurchasingSessions">Sessions without a purchase.</param>
/// <param name="DetectedBeforePurchase">Purchasing sessions flagged at an event strictly before their first purchase.</param>
/// <param name="DetectionRate">DetectedBeforePurchase / PurchasingSessions; NaN when there are no purchasing sessions.</param>
/// <param name="MedianLeadEvents">Median number of events from the first flag to the first purchase, over detected sessions; NaN when none.</param>
/// <param name="MeanLeadEvents">Mean lead in events; NaN when none detected.</param>
/// <param name="MedianLeadSeconds">Median seconds from the first flag to the first purchase; NaN when none detected.</param>
/// <param name="MeanLeadSeconds">Mean lead in seconds; NaN when none detected.</param>
/// <param name="FalseAlarms">Non-purchasing sessions flagged at any event.</param>
/// <param name="FalseAlarmRate">FalseAlarms / NonPurchasingSessions; NaN when there are no non-purchasing sessions.</param>
public readonly record struct EarlyDetectionResult(
    float Threshold,
    int PurchasingSessions,
    int NonPurchasingSessions,
    int DetectedBeforePurchase,
    double DetectionRate,
    double MedianLeadEvents,
    double MeanLeadEvents,
    double MedianLeadSeconds,
    double MeanLeadSeconds,
    int FalseAlarms,
    double FalseAlarmRate);
