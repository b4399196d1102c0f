using MicroMoment.Events;

// The model's value types (events, context, scores) carry Orleans' serialization attributes in MicroMoment.Core, which
// itself stays free of Orleans' runtime; their codecs are generated here.
[assembly: GenerateCodeForDeclaringAssembly(typeof(ClickEvent))]
