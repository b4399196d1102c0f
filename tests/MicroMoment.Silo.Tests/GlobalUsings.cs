// Microsoft.Orleans.Sdk adds a global `using Orleans;`; the tests mean the project's own StableHash.
global using StableHash = MicroMoment.Silo.Grains.StableHash;
