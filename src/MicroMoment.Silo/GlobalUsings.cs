// Microsoft.Orleans.Sdk adds a global `using Orleans;`, whose Orleans.StableHash would make the project's own
// StableHash (partition and experiment hashing, whose values are persisted) ambiguous; the project's one wins.
global using StableHash = MicroMoment.Silo.Grains.StableHash;
