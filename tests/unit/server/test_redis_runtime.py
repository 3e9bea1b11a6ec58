from server.redis_runtime import missing_capabilities

NEITHER = "vector sets (the VADD/VSIM commands) or the Query Engine (FT.*, Redis >= 7.2)"


def test_redis_8_with_vector_sets_lacks_nothing() -> None:
    assert missing_capabilities("8.0.2", has_vector_sets=True) == []
    assert missing_capabilities("8.2.1", has_vector_sets=True) == []


def test_a_redis_stack_with_the_query_engine_lacks_nothing() -> None:
    assert missing_capabilities("7.4.1", has_vector_sets=False, has_query_engine=True) == []
    assert missing_capabilities("6.2.14", has_vector_sets=False, has_query_engine=True) == [
        "Redis >= 8.0 (this is 6.2.14)",
        NEITHER,
    ]


def test_debian_bookworm_redis_is_explained() -> None:
    assert missing_capabilities("7.0.15", has_vector_sets=False) == ["Redis >= 8.0 (this is 7.0.15)", NEITHER]


def test_redis_8_built_without_vector_sets() -> None:
    assert missing_capabilities("8.0.0", has_vector_sets=False) == [NEITHER]
