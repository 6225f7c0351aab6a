global using Eventuali.InMemory;
