// Every definition file of the library, in dependency order.
#pragma once
#include "rubric/impl/source.inl"
#include "rubric/impl/diagnostic.inl"
#include "rubric/impl/decimal.inl"
#include "rubric/impl/csv.inl"
#include "rubric/impl/facts_reader.inl"
#include "rubric/impl/parse.inl"
#include "rubric/impl/check.inl"
#include "rubric/impl/compile.inl"
#include "rubric/impl/facts.inl"
#include "rubric/impl/evaluate.inl"
#include "rubric/impl/explain.inl"
#include "rubric/impl/testing.inl"
