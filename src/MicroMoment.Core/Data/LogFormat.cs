namespace MicroMoment.Data;

/// <summary>The event log formats MicroMoment can read.</summary>
public enum LogFormat
{
    /// <summary>REES46 "eCommerce behavior data" CSV with header <c>event_time,event_type,...,user_session</c>.</summary>
    Rees46Csv,

    /// <summary>YOOCHOOSE clicks as prepared by session-rec: TSV with header <c>SessionId, ItemId, Time</c> (unix seconds).</summary>
    YoochooseTsv,

    /// <summary>The original RecSys Challenge 2015 clicks file: CSV <c>session,timestamp,item,category</c>, no header.</summary>
    RecSys2015ClicksCsv,
}
